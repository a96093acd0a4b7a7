import { invalid, type FieldError } from '@edu/kit';
import type { Attachment } from './model';
import type { FileScanner } from './ports';

// Attachments of messages (R7.1): references to files already in the file store, never the files.
// The limits keep a thread readable on a phone and the store's costs bounded; the allow-list keeps
// out executables and archives a virus scanner cannot see into. Every file goes through the scan
// hook: an infected one refuses the whole message, a pending one is kept and shown as pending.

export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_FILE_NAME_LENGTH = 255;
const MAX_FILE_ID_LENGTH = 200;

/** Documents, pictures and tables people send to school; nothing executable. */
export const ALLOWED_CONTENT_TYPES: readonly string[] = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/heic',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'text/plain',
];

/** An attachment as a client names it (its scan status is ours to decide). */
export type AttachmentInput = Omit<Attachment, 'scanStatus'>;

/** "Text/Plain; charset=utf-8" → "text/plain": parameters do not change what the file is. */
export function normalizedContentType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** What is wrong with the attachments, by field (`attachments[i].<field>`); [] when nothing. */
export function attachmentErrors(attachments: AttachmentInput[]): FieldError[] {
  if (attachments.length > MAX_ATTACHMENTS) {
    return [{ field: 'attachments', message: `Вложения: не больше ${MAX_ATTACHMENTS} файлов` }];
  }
  return attachments.flatMap((a, i) => oneAttachmentErrors(a, `attachments[${i}]`));
}

function oneAttachmentErrors(a: AttachmentInput, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const fileId = a.fileId.trim();
  if (!fileId || fileId.length > MAX_FILE_ID_LENGTH) {
    errors.push({ field: `${at}.file_id`, message: 'Файл: укажите загруженный файл' });
  }
  const fileName = a.fileName.trim();
  if (!fileName || fileName.length > MAX_FILE_NAME_LENGTH) {
    errors.push({ field: `${at}.file_name`, message: `Имя файла: от 1 до ${MAX_FILE_NAME_LENGTH} символов` });
  }
  if (!ALLOWED_CONTENT_TYPES.includes(normalizedContentType(a.contentType))) {
    errors.push({
      field: `${at}.content_type`,
      message:
        'Тип файла: допускаются PDF, JPEG, PNG, HEIC, документы Word и OpenDocument, таблицы Excel и OpenDocument, текст',
    });
  }
  if (!Number.isInteger(a.sizeBytes) || a.sizeBytes <= 0 || a.sizeBytes > MAX_ATTACHMENT_BYTES) {
    errors.push({ field: `${at}.size_bytes`, message: 'Размер файла: не больше 10 МБ' });
  }
  return errors;
}

/**
 * Scans each attachment (call it outside a unit of work: a scan is a call out) and returns them
 * with their status; an infected file refuses the message.
 */
export async function scannedAttachments(
  scanner: FileScanner,
  attachments: AttachmentInput[],
): Promise<Attachment[]> {
  const scanned: Attachment[] = [];
  for (const [i, a] of attachments.entries()) {
    const file: AttachmentInput = {
      fileId: a.fileId.trim(),
      fileName: a.fileName.trim(),
      contentType: normalizedContentType(a.contentType),
      sizeBytes: a.sizeBytes,
    };
    const scanStatus = await scanner.scan(file);
    if (scanStatus === 'infected') {
      throw invalid('messaging.attachment_infected', 'Вложение не прошло антивирусную проверку', [
        { field: `attachments[${i}]`, message: `Файл «${file.fileName}» заражён и не может быть отправлен` },
      ]);
    }
    scanned.push({ ...file, scanStatus });
  }
  return scanned;
}
