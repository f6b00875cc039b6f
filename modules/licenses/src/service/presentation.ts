// 亮证: the code a holder shows on a screen lasts minutes, not years. A photo of the screen, or a
// screenshot passed on, stops serving when its window ends — unlike the code printed on a licence.
// It is the licence's scan code with the end of showing signed in (claim 6), made fresh each time.
import { issueScanCode, scanCodeQrSvg } from '../domain/scan-code/index.ts';
import { LicenseError } from '../errors.ts';
import type { LicenceRow } from '../store/tables.ts';
import type { ScanCodes } from './scan.ts';

/** How long a shown code verifies: long enough to be scanned at a counter, short enough to go stale. */
export const PRESENTATION_SECONDS = 5 * 60;

export interface PresentationCode {
  readonly code: string;
  readonly qrSvg: string;
  /** When the code stops verifying (ISO 8601). */
  readonly shownUntil: string;
}

/** A fresh presentation code for a licence in force; a licence not in force has nothing to show. */
export async function presentationCode(scan: ScanCodes, row: LicenceRow, now: Date): Promise<PresentationCode> {
  if (row.status !== 'valid') throw new LicenseError('LICENSES_NOT_IN_FORCE', { status: row.status });
  const issuedAt = Math.floor(now.getTime() / 1000);
  const shownUntil = issuedAt + PRESENTATION_SECONDS;
  const code = issueScanCode({ ...scan.claimsOf(row), issuedAt, shownUntil }, scan.signer(row.issuer_code));
  return { code, qrSvg: await scanCodeQrSvg(code), shownUntil: new Date(shownUntil * 1000).toISOString() };
}
