import { createTransport } from 'nodemailer';
import type { ChannelMessage } from '../domain/model';
import { ProviderError, type ChannelProvider } from '../domain/ports';

/** Timeouts short enough that a dead server fails the send before the dispatcher's own limit. */
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 12_000;

/**
 * E-mail through an SMTP server (nodemailer, pooled connections): a plain-text UTF-8 message.
 * The server's answer decides what the dispatcher does: a 5xx reply (a bad mailbox, a refused
 * message) will not change on another attempt, so it fails the delivery; a 4xx reply, a lost or
 * refused connection or a timeout is retried with backoff.
 */
export function createEmailProvider(options: {
  smtpUrl: string;
  from: string;
}): ChannelProvider & { close(): void } {
  const transport = createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: 2,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  return {
    channel: 'email',
    async send(message: ChannelMessage) {
      try {
        await transport.sendMail({
          from: options.from,
          to: message.address,
          subject: message.subject,
          text: message.text,
        });
      } catch (error) {
        throw providerError(error);
      }
    },
    close: () => transport.close(),
  };
}

/**
 * The SMTP failure as the dispatcher reads it: retryable unless the server refused for good (5xx)
 * or nodemailer found the envelope unusable (a malformed address) before asking it.
 */
export function providerError(error: unknown): ProviderError {
  const { message, responseCode, code } = error as { message?: string; responseCode?: number; code?: string };
  const permanent =
    typeof responseCode === 'number' ? responseCode >= 500 && responseCode < 600 : code === 'EENVELOPE';
  return new ProviderError(`smtp: ${message ?? String(error)}`, !permanent);
}
