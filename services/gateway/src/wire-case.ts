// Between roster's messages (proto names, int64 as strings) and the REST shape (camelCase, numbers)
// for resources whose REST form is their message form: one conversion instead of a mapper each.

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// int64 fields travel as strings (proto-loader `longs: String`); in REST they are numbers.
const INT64_KEYS = new Set(['version', 'expected_version']);

function convert(
  value: unknown,
  rename: (key: string) => string,
  int64: (key: string, v: unknown) => unknown,
): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, rename, int64));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [rename(key), int64(key, convert(item, rename, int64))]),
  );
}

/** A message as the REST API answers it: camelCase keys, versions as numbers. */
export function restShape<T = Record<string, unknown>>(message: unknown): T {
  return convert(message, camel, (key, v) =>
    INT64_KEYS.has(key) && typeof v === 'string' ? Number(v) : v,
  ) as T;
}

/** A REST body as roster's request message: proto names, versions as strings. */
export function messageShape<T = Record<string, unknown>>(body: unknown): T {
  return convert(body, snake, (key, v) =>
    INT64_KEYS.has(snake(key)) && typeof v === 'number' ? String(v) : v,
  ) as T;
}
