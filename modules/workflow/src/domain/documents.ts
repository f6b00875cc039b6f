// Uploaded documents (材料上传): which files are taken, how a declared type is checked against the
// bytes, what a file name may be, and how a material names a stored document. Pure.

export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/** 10 MiB: a phone photo or a multi-page scan, not a video. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Uploaded but not yet named by a submitted application: at most this many per owner. */
export const UNCONFIRMED_QUOTA = 50;
/** An upload no submitted application names lapses after this many days (the document-lapse job). */
export const LAPSE_DAYS = 7;
export const NAME_MAX = 200;

/** The signatures each declared type must start with (ISO 32000 header, JPEG SOI + marker, PNG). */
const MAGIC = {
  'application/pdf': [Buffer.from('%PDF-', 'latin1')],
  'image/jpeg': [Buffer.from([0xff, 0xd8, 0xff])],
  'image/png': [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
} as const satisfies Record<DocumentMediaType, readonly Buffer[]>;

export const isDocumentMediaType = (value: string): value is DocumentMediaType =>
  (DOCUMENT_MEDIA_TYPES as readonly string[]).includes(value);

/** The media type of a content-type header without its parameters, lower-cased. */
export const bareMediaType = (header: string | undefined): string =>
  (header ?? '').split(';', 1)[0]!.trim().toLowerCase();

/** Whether the bytes begin as the declared type's files do (a renamed .exe is not a PDF). */
export function magicMatches(type: DocumentMediaType, bytes: Uint8Array): boolean {
  return MAGIC[type].some((sig) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b));
}

const EXTENSION: Record<DocumentMediaType, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
};

/**
 * The name a document is kept and offered under: the header's percent-encoded UTF-8 decoded, the
 * folders a browser may send dropped, controls, bidirectional overrides and the characters Windows
 * refuses replaced, at most 200 characters (by code point, keeping the extension). Undefined when
 * the header is not valid percent-encoding; a name with nothing left is `document.<ext>`.
 */
export function sanitiseFileName(header: string | undefined, type: DocumentMediaType): string | undefined {
  let decoded = '';
  if (header !== undefined && header !== '') {
    try {
      decoded = decodeURIComponent(header);
    } catch {
      return undefined;
    }
  }
  const base = decoded.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // C0/C1 controls, bidi overrides and isolates (a name that shows as gpj.exe), and <>:"|?*
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const name = cleaned === '' ? `document${EXTENSION[type]}` : cleaned;
  const chars = [...name];
  if (chars.length <= NAME_MAX) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? [...name.slice(dot)] : [];
  return [...chars.slice(0, NAME_MAX - ext.length), ...ext].join('');
}

/** `attachment` with the RFC 8187 UTF-8 name, and an ASCII fallback for old clients (RFC 6266). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const DOC_REF = /^doc:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const documentRef = (id: string): string => `doc:${id}`;

/**
 * The stored documents a list of materials names, with their positions. Only `doc:<uuid>` is a
 * document of this store; other references (`doc:<text>` from a department's own archive, licences)
 * are not looked up here.
 */
export function documentRefs(materials: readonly { readonly ref: string }[]): { index: number; id: string }[] {
  return materials.flatMap((m, index) => {
    const match = DOC_REF.exec(m.ref.toLowerCase());
    return match ? [{ index, id: match[1]! }] : [];
  });
}

/** The AAD a document's sealed bytes are bound to: its column and its row. */
export const contentAad = (id: string): string => `workflow.document_content.data:${id}`;
