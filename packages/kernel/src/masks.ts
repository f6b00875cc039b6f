// 脱敏 formats, one place for every module that shows a person's identifiers partly (the data
// hub's officer and counter policies, the workflow's masked answers): one screen never shows one
// person two ways. Pure.

const stars = (n: number) => '*'.repeat(Math.max(n, 0));

/** `110101********1234`: first six and last four of an 18-character ID; anything else masked whole. */
export function maskIdNumber(value: string): string {
  const c = [...value];
  return c.length === 18 ? `${c.slice(0, 6).join('')}${stars(8)}${c.slice(14).join('')}` : stars(c.length);
}

/** `138****5678`: first three and last four of an 11-digit mobile; anything else masked whole. */
export function maskMobile(value: string): string {
  const c = [...value];
  return c.length === 11 ? `${c.slice(0, 3).join('')}****${c.slice(7).join('')}` : stars(c.length);
}

/** `***************4567`: the last four, as a bank prints them; eight characters or fewer masked whole. */
export function maskBankAccount(value: string): string {
  const c = [...value];
  return c.length > 8 ? `${stars(c.length - 4)}${c.slice(-4).join('')}` : stars(c.length);
}

/** `张*`, `欧***`: the first character and a star for each other one. */
export function maskName(value: string): string {
  const c = [...value];
  return c.length <= 1 ? stars(c.length) : `${c[0]}${stars(c.length - 1)}`;
}

// How far an address is kept: up to its district-level unit (区, 县, 旗) or, without one, a
// county-level city (市), found within the first characters; the street and number never are.
const ADDRESS_HEAD = 16;

/** Kept up to the district (浙江省杭州市西湖区****); an address without one is masked whole. */
export function maskAddress(value: string): string {
  const head = [...value].slice(0, ADDRESS_HEAD);
  let end = head.findIndex((c) => c === '区' || c === '县' || c === '旗');
  if (end < 0) end = head.lastIndexOf('市');
  if (end < 0 || end === [...value].length - 1) return '****';
  return `${head.slice(0, end + 1).join('')}****`;
}
