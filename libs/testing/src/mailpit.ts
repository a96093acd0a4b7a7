import { endpoints } from './endpoints';

/** An address as Mailpit parsed it from the headers (or, for Bcc, from the SMTP envelope). */
export interface MailpitAddress {
  name: string;
  address: string;
}

/** One message Mailpit received, as its list and search API summarise it. */
export interface MailpitMessage {
  /** Mailpit's database id (for its API), not the Message-ID header. */
  id: string;
  /** The Message-ID header, without angle brackets. */
  messageId: string;
  subject: string;
  from: MailpitAddress | undefined;
  to: MailpitAddress[];
  cc: MailpitAddress[];
  bcc: MailpitAddress[];
  /** When Mailpit received it. */
  created: Date;
  /** The start of the text (up to 250 characters). */
  snippet: string;
  /** The whole text/plain body (fetched on the first call of text() or html()). */
  text(): Promise<string>;
  /** The text/html body, '' when there is none. */
  html(): Promise<string>;
}

interface RawAddress {
  Name: string;
  Address: string;
}

interface RawSummary {
  ID: string;
  MessageID: string;
  Subject: string;
  From: RawAddress | null;
  To: RawAddress[] | null;
  Cc: RawAddress[] | null;
  Bcc: RawAddress[] | null;
  Created: string;
  Snippet: string;
}

interface RawMessage {
  Text: string;
  HTML: string;
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const url = `${endpoints().mailpitUrl}/api/v1/${path}`;
  const response = await fetch(url, init);
  if (!response.ok) {
    throw new Error(
      `Mailpit ${init?.method ?? 'GET'} ${url}: HTTP ${response.status} ${await response.text()}`,
    );
  }
  const body = await response.text();
  return (body && response.headers.get('content-type')?.includes('json') ? JSON.parse(body) : body) as T;
}

const addresses = (list: RawAddress[] | null): MailpitAddress[] =>
  (list ?? []).map(({ Name, Address }) => ({ name: Name, address: Address }));

function toMessage(raw: RawSummary): MailpitMessage {
  let body: Promise<RawMessage> | undefined;
  const full = () => (body ??= api<RawMessage>(`message/${encodeURIComponent(raw.ID)}`));
  return {
    id: raw.ID,
    messageId: raw.MessageID,
    subject: raw.Subject,
    from: raw.From ? { name: raw.From.Name, address: raw.From.Address } : undefined,
    to: addresses(raw.To),
    cc: addresses(raw.Cc),
    bcc: addresses(raw.Bcc),
    created: new Date(raw.Created),
    snippet: raw.Snippet,
    text: async () => (await full()).Text,
    html: async () => (await full()).HTML,
  };
}

const isFor = (message: MailpitMessage, recipient: string): boolean =>
  [...message.to, ...message.cc, ...message.bcc].some(
    ({ address }) => address.toLowerCase() === recipient.toLowerCase(),
  );

/**
 * The messages the local Mailpit received, newest first (at most `limit`), or only those with
 * `to` among their To, Cc or Bcc recipients (exactly, ignoring case). Delivery is synchronous
 * (the SMTP server stores a message before it accepts it), but the sending service's own queue
 * may not be: wrap in waitFor() for what a service sends in the background.
 */
export async function mailpitMessages(to?: string, { limit = 500 } = {}): Promise<MailpitMessage[]> {
  const query = new URLSearchParams({ limit: String(limit) });
  let path = `messages?${query}`;
  if (to !== undefined) {
    // Mailpit's search matches a substring (a@x.ru is found in ba@x.ru); the exact check is below.
    query.set('query', `addressed:"${to.replaceAll('"', '')}"`);
    path = `search?${query}`;
  }
  const { messages } = await api<{ messages: RawSummary[] }>(path);
  const all = messages.map(toMessage);
  return to === undefined ? all : all.filter((message) => isFor(message, to));
}

/**
 * Deletes the messages for one recipient (as mailpitMessages(to) finds them), or, without `to`,
 * every message in Mailpit — which other test files running at the same time may still be
 * reading: prefer unique recipients (uniqueName) and the `to` form.
 */
export async function deleteMailpitMessages(to?: string): Promise<void> {
  if (to === undefined) {
    await api('messages', { method: 'DELETE' });
    return;
  }
  // Never an empty list: Mailpit reads no IDs as "delete all".
  const ids = (await mailpitMessages(to, { limit: 10_000 })).map(({ id }) => id);
  if (ids.length === 0) return;
  await api('messages', {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ IDs: ids }),
  });
}
