// A scan code as typed, pasted or read by a scanner that types it. Its text is base45 (RFC 9285),
// whose alphabet has a space: a space at the end, or two together, belongs to the code. Only what
// a paste or a scanner adds around it goes — line breaks, tabs, and anything before the prefix.

/** The code the verifier is given: leading whitespace and trailing line breaks and tabs removed, spaces kept. */
export function cleanScanCode(input: string): string {
  return input.replace(/^\s+/, '').replace(/[\r\n\t]+$/, '');
}
