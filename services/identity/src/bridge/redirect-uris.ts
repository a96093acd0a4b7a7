/**
 * Redirect URI patterns of the bridge's clients: exact URIs where `*` stands for one non-empty
 * run of characters inside a host, port or path segment (no `/`, `?`, `#`, `@`), e.g.
 * `http://127.0.0.1:*\/realms/edu/broker/*\/endpoint`.
 */
export function redirectUriMatcher(patterns: readonly string[]): (uri: string) => boolean {
  const regexes = patterns.map(
    (pattern) =>
      new RegExp(
        '^' +
          pattern
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/?#@\\s]+') +
          '$',
      ),
  );
  return (uri) => {
    if (!URL.canParse(uri) || uri.includes('#')) return false;
    // Only the canonical form: no dot segments, odd escapes or default ports slipping past `*`.
    if (new URL(uri).href !== uri) return false;
    return regexes.some((regex) => regex.test(uri));
  };
}
