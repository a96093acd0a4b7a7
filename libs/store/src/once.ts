import { createHash } from 'node:crypto';
import { conflict } from '@edu/kit';
import { IdempotencyError, type IdempotencyStore } from './idempotency';

/** What `once` needs of a call: its idempotency key, who calls, and where to log a repeat. */
export interface IdempotentCall {
  idempotencyKey?: string;
  actor: { accountId: string };
  logger: { info(fields: object, message: string): void };
}

function fingerprint(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * Runs a changing command once per idempotency key (per caller): a repeat gets the first result.
 * Without a key the command simply runs. The result is stored (JSON) for the key's lifetime, so a
 * command whose result holds personal data should return ids only and read the rest afterwards.
 * A key reused for another request, or still running, is a conflict in Russian.
 */
export async function once<T>(
  idempotency: IdempotencyStore,
  method: string,
  request: unknown,
  call: IdempotentCall,
  command: () => Promise<T>,
): Promise<T> {
  if (!call.idempotencyKey) return command();
  try {
    const { result, replayed } = await idempotency.execute(
      call.idempotencyKey,
      `${method}/${call.actor.accountId}`,
      fingerprint(request),
      command,
    );
    if (replayed) call.logger.info({ method }, 'idempotent repeat answered with the first result');
    return result;
  } catch (error) {
    if (!(error instanceof IdempotencyError)) throw error;
    throw error.code === 'idempotency.key_reused'
      ? conflict(error.code, 'Этот ключ идемпотентности уже использован для другого запроса')
      : conflict(error.code, 'Запрос с этим ключом идемпотентности ещё выполняется; повторите позже');
  }
}
