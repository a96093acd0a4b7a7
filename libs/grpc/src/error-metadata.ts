import type { Metadata } from '@grpc/grpc-js';
import { DomainError, isErrorKind, type DomainErrorData, type FieldError } from '@edu/kit';
import { METADATA_KEYS } from './metadata';

// Header values must be printable ASCII, so non-ASCII (the Russian text) is written as \uXXXX
// escapes: still plain JSON, read back by JSON.parse.
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// Proxies commonly refuse header blocks above 8–16 KiB; a long list of field errors is cut
// rather than the whole error lost.
const MAX_ERROR_HEADER = 8 * 1024;

/** Writes a DomainError into the `x-edu-error` trailer. */
export function writeErrorMetadata(metadata: Metadata, error: DomainError): void {
  const data: DomainErrorData = error.toJSON();
  let encoded = asciiJson(data);
  let errors = data.errors ?? [];
  while (encoded.length > MAX_ERROR_HEADER && errors.length > 0) {
    errors = errors.slice(0, Math.floor(errors.length / 2));
    encoded = asciiJson({ ...data, errors });
  }
  if (encoded.length > MAX_ERROR_HEADER) encoded = asciiJson({ ...data, detail: data.detail.slice(0, 500) });
  metadata.set(METADATA_KEYS.error, encoded);
}

/** Reads the `x-edu-error` trailer back into a DomainError; undefined when absent or malformed. */
export function readErrorMetadata(metadata: Metadata | undefined): DomainError | undefined {
  const raw = metadata?.get(METADATA_KEYS.error)[0];
  if (typeof raw !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { code, kind, title, detail, errors } = parsed as Record<string, unknown>;
  if (typeof code !== 'string' || !isErrorKind(kind) || typeof detail !== 'string') return undefined;
  const fieldErrors = Array.isArray(errors)
    ? errors.filter(
        (item): item is FieldError =>
          typeof item === 'object' &&
          item !== null &&
          typeof (item as FieldError).field === 'string' &&
          typeof (item as FieldError).message === 'string',
      )
    : undefined;
  return new DomainError({
    code,
    kind,
    detail,
    ...(typeof title === 'string' ? { title } : {}),
    ...(fieldErrors ? { errors: fieldErrors } : {}),
  });
}
