// 授权同意: a person consents, for one purpose (the matter or bundle they apply for), to named
// items of named resources (`<resource>.<item>`). Pure.

export interface Consent {
  readonly id: string;
  readonly accountId: string;
  readonly purpose: string;
  /** `<resource>.<item>`, e.g. `population.name`. */
  readonly items: readonly string[];
}

export const consentItem = (resource: string, item: string): string => `${resource}.${item}`;

/** Whether the person's active consents for this purpose cover the resource's item. */
export function consented(consents: readonly Consent[], purpose: string, resource: string, item: string): boolean {
  const key = consentItem(resource, item);
  return consents.some((c) => c.purpose === purpose && c.items.includes(key));
}

/** Splits `<resource>.<item>` at the first dot (resource codes have none; item keys have none). */
export function parseConsentItem(value: string): { resource: string; item: string } | undefined {
  const dot = value.indexOf('.');
  if (dot <= 0 || dot === value.length - 1) return undefined;
  return { resource: value.slice(0, dot), item: value.slice(dot + 1) };
}
