// The checks a form can make before it sends: the platform's own (GB 11643 check character, a
// real date of birth), so the browser and the API never disagree about what is valid.
export { isValidResidentId as isResidentId } from '@tongban/kernel/identifiers';

/** As a person types it: spaces dropped, a lower-case x as the check character upper-cased. */
export const normaliseResidentId = (value: string): string => value.replace(/\s+/g, '').toUpperCase();

/** A mainland mobile number (identity's own rule). */
export const isMobile = (value: string): boolean => /^1[3-9]\d{9}$/.test(value);
