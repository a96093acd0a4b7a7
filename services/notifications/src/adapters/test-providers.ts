import type { Channel, ChannelMessage } from '../domain/model';
import { ProviderError, type ChannelProvider } from '../domain/ports';

/**
 * A provider that records what it was asked to send instead of sending it, and can be put into an
 * outage: for tests and the demo/dev mode. Production plugs a real SMS gateway or a push service
 * (FCM, RuStore) in behind the same ChannelProvider contract:
 *
 * - `send(message)` resolves once the gateway has accepted the message for `message.address` (a
 *   phone "+7XXXXXXXXXX" for SMS; the person id for push, whose devices the provider knows);
 * - it throws a ProviderError: `retryable` true for an outage, a throttle or a timeout (the
 *   dispatcher tries again with backoff), false when the message can never go (an unknown number,
 *   no registered device), which fails the deliveries at once;
 * - it answers well within the dispatcher's send timeout and keeps no state the dispatcher needs:
 *   deduplication and retries are the dispatcher's.
 */
export interface RecordingProvider extends ChannelProvider {
  readonly channel: Extract<Channel, 'sms' | 'push'>;
  /** Every message accepted, in order. */
  readonly sent: ChannelMessage[];
  /** Every message refused during an outage, in order. */
  readonly refused: ChannelMessage[];
  /** From now on every send fails with a ProviderError of this kind. */
  fail(retryable: boolean): void;
  /** Ends the outage. */
  recover(): void;
}

export function createRecordingProvider(channel: 'sms' | 'push'): RecordingProvider {
  const sent: ChannelMessage[] = [];
  const refused: ChannelMessage[] = [];
  let outage: { retryable: boolean } | null = null;
  return {
    channel,
    sent,
    refused,
    send(message) {
      if (outage) {
        refused.push(message);
        return Promise.reject(new ProviderError(`${channel} provider outage (test)`, outage.retryable));
      }
      sent.push(message);
      return Promise.resolve();
    },
    fail(retryable) {
      outage = { retryable };
    },
    recover() {
      outage = null;
    },
  };
}
