// Text no request may carry, refused at the edge before any schema or handler sees it:
// - C0 control characters other than TAB, LF and CR (U+0000–U+0008, U+000B, U+000C,
//   U+000E–U+001F). NUL above all: PostgreSQL cannot store it in text (22021, a 500 deep in a
//   handler), and the others have no business in names, identifiers or form fields but to
//   confuse logs, terminals and the people reading them. TAB, LF and CR are ordinary in free text.
// - Lone surrogates (U+D800–U+DFFF not in a pair): not Unicode text at all; they cannot be
//   encoded as UTF-8, so PostgreSQL, canonical JSON (RFC 8785) and signatures choke on them.
// DEL and C1 controls are let through: they encode and store fine and some legacy data has them.
import type { FieldError } from '../errors.ts';
import type { Lang } from './problem.ts';

export type UnsafeTextCode = 'control_character' | 'lone_surrogate';

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

const MESSAGES: Record<UnsafeTextCode, Record<Lang, string>> = {
  control_character: {
    zh: '含有不允许的控制字符（如 NUL）',
    en: 'contains a control character that is not allowed (such as NUL)',
  },
  lone_surrogate: { zh: '含有无效的 Unicode 字符（孤立的代理项）', en: 'contains invalid Unicode (a lone surrogate)' },
};

/** Why a string is refused, or undefined when it is acceptable text. */
export function unsafeTextCode(text: string): UnsafeTextCode | undefined {
  if (CONTROL.test(text)) return 'control_character';
  if (!text.isWellFormed()) return 'lone_surrogate';
  return undefined;
}

/** A field name fit to be echoed in a problem document: unsafe characters written as \uXXXX. */
function printable(key: string): string {
  return key.toWellFormed() === key && !CONTROL.test(key)
    ? key
    : Array.from(key, (c) =>
        CONTROL.test(c) || !c.isWellFormed() ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c,
      ).join('');
}

function fieldError(field: string, code: UnsafeTextCode, lang: Lang): FieldError {
  return { field, code, message: MESSAGES[code][lang] };
}

/**
 * The first unsafe string in a parsed value (a JSON body, a parsed form, query or path params),
 * keys included, as a field error named like validation's (`body.items.0.name`). Walks with its
 * own stack: a deeply nested body cannot overflow the call stack.
 */
export function findUnsafeText(value: unknown, part: string, lang: Lang = 'zh'): FieldError | undefined {
  // Most requests are clean: a walk that builds no paths says so cheaply (90,000 keys in a few
  // milliseconds); only a request with something to refuse is walked again to name the field.
  return hasUnsafeText(value) ? locateUnsafeText(value, part, lang) : undefined;
}

function hasUnsafeText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (unsafeTextCode(node)) return true;
    } else if (ArrayBuffer.isView(node)) {
      // Raw bytes (a raw-body route's buffer) are that route's to check (findUnsafeUrlEncoded),
      // not a record of 56,000 numeric keys to walk.
      continue;
    } else if (Array.isArray(node)) {
      for (const child of node)
        if ((child !== null && typeof child === 'object') || typeof child === 'string') stack.push(child);
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        if (unsafeTextCode(key)) return true;
        const child = record[key];
        if ((child !== null && typeof child === 'object') || typeof child === 'string') stack.push(child);
      }
    }
  }
  return false;
}

function locateUnsafeText(value: unknown, part: string, lang: Lang): FieldError | undefined {
  const stack: [unknown, string][] = [[value, part]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      const code = unsafeTextCode(node);
      if (code) return fieldError(path, code, lang);
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${path}.${i}`]);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const code = unsafeTextCode(key);
        if (code) return fieldError(`${path}.${printable(key)}`, code, lang);
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/**
 * The first unsafe name or value in URL-encoded text: a raw query string (without '?') or an
 * application/x-www-form-urlencoded body, before any parser sees it — for routes whose bodies
 * the kernel does not parse (identity's /oidc/* mount). Malformed percent-encoding is left to
 * the parser that reads it: it cannot decode to a NUL or a surrogate.
 */
export function findUnsafeUrlEncoded(raw: string | Buffer, part: string, lang: Lang = 'zh'): FieldError | undefined {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  if (!text.includes('%') && !CONTROL.test(text)) return undefined;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const name = decode(rawName);
    const nameCode = name === undefined ? undefined : unsafeTextCode(name);
    if (nameCode) return fieldError(`${part}.${printable(name!)}`, nameCode, lang);
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const valueCode = value === undefined ? undefined : unsafeTextCode(value);
    if (valueCode)
      return fieldError(`${part}.${name === undefined ? printable(rawName) : printable(name)}`, valueCode, lang);
  }
  return undefined;
}

function decode(component: string): string | undefined {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
