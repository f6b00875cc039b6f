// Source files as streams of rows: CSV (RFC 4180 — quoted fields with commas, quotes and
// newlines, CRLF or LF, a UTF-8 BOM) and JSON (one array of objects, or NDJSON), in UTF-8 or
// GBK. Bytes come in as chunks and rows go out one by one, so a file of a million rows is never
// held whole. Anything wrong with the file itself — bytes that are not the declared encoding,
// a broken quote, a column the resource does not have — is a SourceError naming where, and the
// import refuses the file before storing a row (it reads the file once to check it first).
import type { RawValue } from './cleaning.ts';

export const ENCODINGS = ['utf-8', 'gbk'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export const FORMATS = ['csv', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export type SourceErrorCode =
  'INVALID_ENCODING' | 'MALFORMED_CSV' | 'MALFORMED_JSON' | 'UNKNOWN_COLUMNS' | 'MISSING_COLUMNS';

export interface SourcePosition {
  /** Data row, 1-based (a CSV header is not a row). */
  readonly row?: number;
  /** Physical line, 1-based. */
  readonly line?: number;
  /** Byte offset in the file, 0-based. */
  readonly offset?: number;
}

export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly code: SourceErrorCode;
  readonly at: SourcePosition;
  constructor(code: SourceErrorCode, message: string, at: SourcePosition = {}) {
    const where = [
      at.row !== undefined ? `row ${at.row}` : '',
      at.line !== undefined ? `line ${at.line}` : '',
      at.offset !== undefined ? `byte offset ${at.offset}` : '',
    ].filter(Boolean);
    super(where.length > 0 ? `${message} (at ${where.join(', ')})` : message);
    this.code = code;
    this.at = at;
  }
}

/** A row of a source: its number, the line it starts on, and its raw values by column. */
export interface SourceRecord {
  readonly row: number;
  readonly line: number;
  readonly fields: Readonly<Record<string, RawValue>>;
}

export interface ColumnRules {
  /** Columns the resource has; any other is refused. */
  readonly known: readonly string[];
  /** Columns a CSV header must name. */
  readonly required: readonly string[];
}

export interface ReadOptions {
  readonly format: Format;
  readonly encoding: Encoding;
  readonly columns: ColumnRules;
}

/** Where the first malformed UTF-8 sequence of `bytes` starts, or -1; `partial`: a sequence cut off at the end. */
export function findInvalidUtf8(bytes: Uint8Array): { invalidAt: number; partialFrom: number } {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return { invalidAt: i, partialFrom: -1 };
    if (i + need >= n) {
      // cut off at the end: valid so far?
      for (let k = i + 1; k < n; k++) if ((bytes[k]! & 0xc0) !== 0x80) return { invalidAt: i, partialFrom: -1 };
      return { invalidAt: -1, partialFrom: i };
    }
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return { invalidAt: i, partialFrom: -1 };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { invalidAt: i, partialFrom: -1 };
    i += need + 1;
  }
  return { invalidAt: -1, partialFrom: -1 };
}

class EncodingFault extends Error {
  readonly offset: number;
  readonly line: number;
  constructor(offset: number, line: number) {
    super('invalid bytes');
    this.offset = offset;
    this.line = line;
  }
}

/** Decodes chunks of bytes; bytes not in the encoding end the stream with an EncodingFault at their offset (after the valid text before them). */
async function* decode(bytes: AsyncIterable<Uint8Array>, encoding: Encoding): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  let tail: Uint8Array = new Uint8Array(0);
  let line = 1;
  const lines = (text: string) => {
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) line++;
    return text;
  };
  for await (const chunk of bytes) {
    try {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield lines(text);
    } catch {
      if (encoding !== 'utf-8') throw new EncodingFault(offset, line);
      // The decoder keeps an incomplete sequence from the previous chunk: find where it began.
      let carry = 0;
      for (let k = tail.length - 1; k >= Math.max(0, tail.length - 3); k--) {
        const b = tail[k]!;
        if (b >= 0xc0) {
          const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
          if (tail.length - k < len) carry = tail.length - k;
          break;
        }
        if (b < 0x80) break;
      }
      const joined = new Uint8Array(carry + chunk.length);
      joined.set(tail.subarray(tail.length - carry), 0);
      joined.set(chunk, carry);
      const { invalidAt } = findInvalidUtf8(joined);
      const at = invalidAt < 0 ? joined.length : invalidAt;
      const prefix = new TextDecoder('utf-8').decode(joined.subarray(carry, Math.max(carry, at)));
      if (prefix) yield lines(prefix);
      throw new EncodingFault(offset - carry + at, line);
    }
    offset += chunk.length;
    tail = chunk.length >= 3 ? chunk.subarray(chunk.length - 3) : chunk;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new EncodingFault(offset - 1, line);
  }
}

interface Parsed {
  readonly values: string[] | Record<string, unknown>;
  readonly line: number;
}

/** RFC 4180 records from text chunks: fields as strings, with the line each record starts on. */
export async function* parseCsv(chunks: AsyncIterable<string>): AsyncGenerator<{ fields: string[]; line: number }> {
  let field = '';
  let record: string[] = [];
  let quoted = false; // inside a quoted field
  let afterQuote = false; // just closed a quoted field: only , or a line break may follow
  let line = 1;
  let start = 1;
  let fieldStarted = false;
  let first = true;
  let pendingCr = false;
  let splitQuote = false;
  const malformed = (what: string) => new SourceError('MALFORMED_CSV', what, { line });
  const endRecord = () => {
    record.push(field);
    const done = { fields: record, line: start };
    record = [];
    field = '';
    fieldStarted = false;
    afterQuote = false;
    return done;
  };
  for await (let text of chunks) {
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let i = 0;
    const n = text.length;
    if (pendingCr) {
      pendingCr = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    if (splitQuote && n > 0) {
      splitQuote = false;
      if (text.charCodeAt(0) === 34) {
        field += '"'; // "" escaping a quote, split across chunks
        i = 1;
      } else {
        quoted = false;
        afterQuote = true;
      }
    }
    while (i < n) {
      if (quoted) {
        const q = text.indexOf('"', i);
        const end = q < 0 ? n : q;
        const piece = text.slice(i, end);
        for (let k = piece.indexOf('\n'); k >= 0; k = piece.indexOf('\n', k + 1)) line++;
        field += piece;
        if (q < 0) {
          i = n;
          break;
        }
        if (q + 1 >= n) {
          // the next chunk says whether this quote closes the field or escapes one
          splitQuote = true;
          i = n;
          break;
        }
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          i = q + 2;
        } else {
          quoted = false;
          afterQuote = true;
          i = q + 1;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 44) {
        record.push(field);
        field = '';
        fieldStarted = false;
        afterQuote = false;
        i++;
      } else if (c === 10 || c === 13) {
        if (record.length > 0 || field !== '' || fieldStarted) yield endRecord();
        else afterQuote = false;
        line++;
        start = line;
        if (c === 13) {
          if (i + 1 < n) {
            if (text.charCodeAt(i + 1) === 10) i++;
          } else pendingCr = true;
        }
        i++;
      } else if (c === 34) {
        if (fieldStarted || afterQuote)
          throw malformed('a quote inside an unquoted field (RFC 4180: quote the whole field)');
        quoted = true;
        fieldStarted = true;
        i++;
      } else {
        if (afterQuote) throw malformed('text after a closing quote (expected a comma or a line break)');
        // an unquoted run up to the next special character
        let j = i;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 44 || d === 10 || d === 13 || d === 34) break;
          j++;
        }
        field += text.slice(i, j);
        fieldStarted = true;
        i = j;
      }
    }
  }
  if (splitQuote) quoted = false;
  if (quoted) throw new SourceError('MALFORMED_CSV', 'the file ends inside a quoted field', { line: start });
  if (record.length > 0 || field !== '' || fieldStarted) yield endRecord();
}

/** JSON sources: `[ {…}, {…} ]` or one object per line (NDJSON), element by element. */
export async function* parseJson(chunks: AsyncIterable<string>): AsyncGenerator<{ value: unknown; line: number }> {
  let mode: 'unknown' | 'array' | 'ndjson' | 'done' = 'unknown';
  let buffer = '';
  let depth = 0;
  let inString = false;
  let escape = false;
  let line = 1;
  let start = 1;
  let last: 'open' | 'value' | 'comma' = 'open'; // array mode: the last token at depth 0
  const malformed = (what: string) => new SourceError('MALFORMED_JSON', what, { line });
  const parse = (text: string, at: number): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new SourceError('MALFORMED_JSON', `not JSON: ${(error as Error).message}`, { line: at });
    }
  };
  for await (let text of chunks) {
    if (mode === 'unknown') {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const m = /\S/.exec(text);
      if (!m) {
        for (const ch of text) if (ch === '\n') line++;
        continue;
      }
      mode = m[0] === '[' ? 'array' : 'ndjson';
      if (mode === 'array') {
        for (const ch of text.slice(0, m.index)) if (ch === '\n') line++;
        text = text.slice(m.index + 1);
      }
    }
    if (mode === 'ndjson') {
      buffer += text;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const row = buffer.slice(0, nl).trim();
        if (row) yield { value: parse(row, line), line };
        line++;
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
      }
      continue;
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\n') line++;
      if (mode === 'done') {
        if (!/\s/.test(ch)) throw malformed('text after the closing ]');
        continue;
      }
      if (depth === 0) {
        if (/\s/.test(ch)) continue;
        if (ch === ']') {
          if (last === 'comma') throw malformed('a comma before ]');
          mode = 'done';
          continue;
        }
        if (ch === ',') {
          if (last !== 'value') throw malformed('a comma where a value was expected');
          last = 'comma';
          continue;
        }
        if (ch !== '{') throw malformed('each element of the array must be an object');
        if (last === 'value') throw malformed('a comma is missing between elements');
        buffer = '';
        start = line;
      }
      buffer += ch;
      if (inString) {
        if (escape) escape = false;
        else if (ch === '\\') escape = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          yield { value: parse(buffer, start), line: start };
          buffer = '';
          last = 'value';
        }
      }
    }
  }
  if (mode === 'ndjson' && buffer.trim()) yield { value: parse(buffer.trim(), line), line };
  if (mode === 'array') throw new SourceError('MALFORMED_JSON', 'the file ends before the closing ]', { line });
}

/** The rows of a source, checked against the resource's columns. */
export async function* readRecords(
  bytes: AsyncIterable<Uint8Array>,
  options: ReadOptions,
): AsyncGenerator<SourceRecord> {
  const known = new Set(options.columns.known);
  let row = 0;
  const text = decode(bytes, options.encoding);
  const parsed: AsyncGenerator<Parsed> =
    options.format === 'csv'
      ? (async function* () {
          for await (const r of parseCsv(text)) yield { values: r.fields, line: r.line };
        })()
      : (async function* () {
          for await (const r of parseJson(text)) {
            if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value))
              throw new SourceError('MALFORMED_JSON', 'each row must be a JSON object', { line: r.line });
            yield { values: r.value as Record<string, unknown>, line: r.line };
          }
        })();
  let header: string[] | undefined;
  try {
    for await (const p of parsed) {
      if (Array.isArray(p.values)) {
        if (!header) {
          header = p.values.map((h) => h.trim());
          checkColumns(header, known, options.columns.required, { line: p.line });
          continue;
        }
        row++;
        if (p.values.length !== header.length)
          throw new SourceError('MALFORMED_CSV', `${p.values.length} fields where the header has ${header.length}`, {
            row,
            line: p.line,
          });
        const fields: Record<string, string> = {};
        for (let k = 0; k < header.length; k++) fields[header[k]!] = p.values[k]!;
        yield { row, line: p.line, fields };
      } else {
        row++;
        const unknown = Object.keys(p.values).filter((k) => !known.has(k));
        if (unknown.length > 0)
          throw new SourceError('UNKNOWN_COLUMNS', `unknown fields ${unknown.join(', ')}`, { row, line: p.line });
        yield { row, line: p.line, fields: p.values as Record<string, RawValue> };
      }
    }
    if (options.format === 'csv' && !header) throw new SourceError('MALFORMED_CSV', 'the file has no header row');
  } catch (error) {
    if (error instanceof EncodingFault)
      throw new SourceError(
        'INVALID_ENCODING',
        `bytes that are not ${options.encoding.toUpperCase()}${options.encoding === 'utf-8' ? ' (a GBK file? try --encoding gbk)' : ''}`,
        { row: row + 1, line: error.line, offset: error.offset },
      );
    throw error;
  }
}

function checkColumns(header: string[], known: Set<string>, required: readonly string[], at: SourcePosition): void {
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length > 0)
    throw new SourceError('UNKNOWN_COLUMNS', `unknown columns ${unknown.map((c) => `'${c}'`).join(', ')}`, at);
  const twice = header.filter((h, i) => header.indexOf(h) !== i);
  if (twice.length > 0) throw new SourceError('MALFORMED_CSV', `columns named twice: ${twice.join(', ')}`, at);
  const missing = required.filter((r) => !header.includes(r));
  if (missing.length > 0)
    throw new SourceError('MISSING_COLUMNS', `missing required columns ${missing.map((c) => `'${c}'`).join(', ')}`, at);
}
