import type { Response } from 'express';

/** The bridge's pages for people (Russian), with no script and nothing from a stack trace. */
export interface PageContent {
  title: string;
  message: string;
  /** Shown small, for support (e.g. `ESIA-007053`, `identity.esia_state_unknown`). */
  code?: string;
  /** «Вернуться ко входу»: back to Keycloak (only a verified redirect URI). */
  backUrl?: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function renderPage({ title, message, code, backUrl }: PageContent): string {
  const back = backUrl ? `<p><a class="back" href="${escapeHtml(backUrl)}">Вернуться ко входу</a></p>` : '';
  const support = code ? `<p class="code">Код для службы поддержки: ${escapeHtml(code)}</p>` : '';
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Электронный дневник</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1d2733;margin:0}
main{max-width:36rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin-top:0}
.back{display:inline-block;padding:.6rem 1.2rem;background:#0d4cd3;color:#fff;border-radius:4px;text-decoration:none}
.code{font-size:.8rem;color:#66727f;margin-top:2rem}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
${back}
${support}
</main>
</body>
</html>
`;
}

/** Sends a page with headers that keep it out of caches and frames. */
export function sendPage(res: Response, status: number, content: PageContent): void {
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    .send(renderPage(content));
}
