// A material's file (材料上传), pure: which files are sent and as what, the checks the server makes
// first (type, size, empty) made here too so a wrong file costs no upload, the steps progress is
// announced at, and how a size reads. The request itself is upload-request.ts.
import type { DocumentView } from '@tongban/contracts';
import type { Locale } from '../i18n/messages.ts';

/** What POST /api/workflow/documents answers: the contract's type (packages/contracts workflow-documents.ts). */
export type { DocumentView };

export const MAX_BYTES = 10 * 1024 * 1024;
export const ACCEPT = '.pdf,.jpg,.jpeg,.png';

const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};
const TYPES = new Set(Object.values(BY_EXTENSION));

/** The type to declare: the browser's, or from the extension when it gives none; undefined when we do not take it. */
export function mediaTypeOf(file: { name: string; type: string }): string | undefined {
  if (TYPES.has(file.type)) return file.type;
  if (file.type !== '' && file.type !== 'application/octet-stream') return undefined;
  return BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''];
}

/** The problem code of a file refused before upload (the server's own codes), or undefined. */
export function precheck(file: { name: string; type: string; size: number }): string | undefined {
  if (!mediaTypeOf(file)) return 'WORKFLOW_DOCUMENT_TYPE_UNSUPPORTED';
  if (file.size === 0) return 'WORKFLOW_DOCUMENT_EMPTY';
  if (file.size > MAX_BYTES) return 'WORKFLOW_DOCUMENT_TOO_LARGE';
  return undefined;
}

/**
 * The percentage to announce: coarse steps of 25 (0, 25, 50, 75, 100), so a screen reader hears
 * four updates, not one per progress event. The bar itself shows every event.
 */
export function announcedStep(fraction: number): number {
  const pct = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
  return pct === 100 ? 100 : Math.floor(pct / 25) * 25;
}

/** A file's size for people: KB below a megabyte, MB with one decimal above (1024-based, as the limit). */
export function sizeText(bytes: number, locale: Locale): string {
  const nf = (max: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: max });
  if (bytes < 1024 * 1024) return `${nf(0).format(Math.max(1, Math.round(bytes / 1024)))} KB`;
  return `${nf(1).format(bytes / (1024 * 1024))} MB`;
}

const DOC_REF = /^doc:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Whether a material's reference is an upload of the document store (and not a typed-in number). */
export const isUploadRef = (ref: string): boolean => DOC_REF.test(ref);
