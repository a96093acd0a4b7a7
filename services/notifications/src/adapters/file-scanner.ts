import type { FileScanner } from '../domain/ports';

/**
 * The scanner where no antivirus is plugged in (development, demo): every attachment stays
 * "pending" — shown as not checked, never as clean. Production plugs the file store's scanner
 * (or an ICAP antivirus) in behind the FileScanner port: "clean", "pending" while it works,
 * "infected" to refuse the message.
 */
export const unscannedFiles: FileScanner = {
  scan: () => Promise.resolve('pending'),
};
