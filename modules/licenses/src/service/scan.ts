// Scan codes for this region's licences, and their verification (扫码核验). Each issuer (an issuing
// department's unified social credit code) signs with a key of its own, derived from the module's
// secret `licenses-signing-key`, so every replica signs alike and a trusted key speaks for one issuer
// only. A verification checks the code offline against those keys and the trust list's (other
// regions' issuers, service/trust.ts), then the licence's status in its issuer's status lists: this
// region's own read at once from the register (age 0); another region's fetched from it, verified
// with the key its entry names and cached — its copy's age said, and the copy used when that region
// cannot be reached.
import { createHmac } from 'node:crypto';
import type { TrustEntry, VerificationView } from '@tongban/contracts';
import type { ModuleContext } from '@tongban/kernel';
import { findLicenceType, LICENCE_TYPES } from '../domain/licence-types.ts';
import {
  es256SignerFrom,
  issueScanCode,
  scanCodeQrSvg,
  trustedKeyOf,
  verifyScanCode,
  type LicenceClaims,
  type ScanSigner,
  type TrustedKey,
} from '../domain/scan-code/index.ts';
import type { LicenceRow } from '../store/tables.ts';

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
/** The register's statuses a revocation list's bit stands for (the suspension list's: suspended). */
const REVOKED: ReadonlySet<string> = new Set(['revoked', 'penalty-revoked', 'cancelled']);

/** A foreign licence's status as its issuer's lists say it. */
export interface ForeignStatus {
  readonly state: 'valid' | 'revoked' | 'suspended';
  readonly listAgeSeconds: number;
  /** The list could not be fetched: a copy held here answered. */
  readonly fromCache: boolean;
}

/** Other regions' issuers: the trust list (service/trust.ts). */
export interface ForeignTrust {
  keys(): Promise<readonly { key: TrustedKey; entry: TrustEntry }[]>;
  /** undefined: the lists can be neither fetched nor found held here. */
  statusOf(entry: TrustEntry, listId: string, index: number): Promise<ForeignStatus | undefined>;
}

export class ScanCodes {
  readonly #secret: string;
  readonly #signers = new Map<string, ScanSigner>();
  #foreign: ForeignTrust | undefined;

  constructor(ctx: Pick<ModuleContext, 'secret'>) {
    this.#secret = ctx.secret('licenses-signing-key');
  }

  /** The issuer's signer: its key derived from the module's secret and the issuer's code. */
  signer(issuerCode: string): ScanSigner {
    let signer = this.#signers.get(issuerCode);
    if (!signer) {
      const material = createHmac('sha256', this.#secret).update(`licenses scan-code key ${issuerCode}`).digest();
      this.#signers.set(issuerCode, (signer = es256SignerFrom(material)));
    }
    return signer;
  }

  /** This region's issuers' keys: what a verifier here trusts (other regions' join them through the trust list). */
  trust(): TrustedKey[] {
    const issuers = new Set(Object.values(LICENCE_TYPES).map((t) => t.issuerCode));
    return [...issuers].map((issuer) => trustedKeyOf(this.signer(issuer), issuer));
  }

  /** Other regions' issuers join this region's in every verification from now on. */
  useTrust(foreign: ForeignTrust): void {
    this.#foreign = foreign;
  }

  claimsOf(row: LicenceRow): LicenceClaims {
    return {
      identifier: row.identifier,
      typeCode: row.type_code,
      holder: row.holder_name_masked ?? '*',
      issuer: row.issuer_code,
      notBefore: seconds(row.valid_from),
      ...(row.valid_until ? { expires: seconds(row.valid_until) } : {}),
      issuedAt: seconds(row.issued_at),
      statusList: { id: row.status_list_id, index: Number(row.status_index) },
    };
  }

  /** The licence's scan code and its QR symbol (SVG, ECC Q). */
  async codeOf(row: LicenceRow): Promise<{ code: string; qrSvg: string }> {
    const code = issueScanCode(this.claimsOf(row), this.signer(row.issuer_code));
    return { code, qrSvg: await scanCodeQrSvg(code) };
  }

  /**
   * A code checked: signature, issuer, validity, then status. `statusOf` answers the register's
   * status of a slot of this region's lists, or undefined where no licence of ours is.
   */
  async verify(
    code: string,
    now: Date,
    statusOf: (listId: string, index: number) => Promise<string | undefined>,
  ): Promise<VerificationView> {
    const checkedAt = now.toISOString();
    const own = this.trust();
    const foreign = (await this.#foreign?.keys()) ?? [];
    const result = verifyScanCode(code, { trust: [...own, ...foreign.map((f) => f.key)], now });
    const claims = result.ok ? result.claims : result.claims;
    if (!result.ok) {
      const licence = claims && licenceOf(claims);
      const reason = result.reason === 'too_long' ? 'not_base45' : result.reason;
      const known = reason === 'bad_claims' || reason === 'issuer_mismatch' ? 'bad_signature' : reason;
      return { valid: false, reason: known, ...(licence ? { licence } : {}), checkedAt };
    }
    const { statusList } = result.claims;
    // Which list trusts the key that signed decides whose licence it is: two regions may hold the
    // same issuer codes and list ids, never the same keys.
    const entry = own.some((k) => k.publicKey === result.key.publicKey)
      ? undefined
      : foreign.find((f) => f.key.publicKey === result.key.publicKey && f.key.issuer === result.key.issuer)?.entry;
    if (entry) {
      const licence = {
        ...licenceOf(result.claims),
        issuer: { id: entry.issuer, name: entry.name, region: entry.region },
      };
      const status = await this.#foreign!.statusOf(entry, statusList.id, statusList.index);
      if (!status) return { valid: false, reason: 'status_unavailable', licence, checkedAt };
      if (status.state !== 'valid') return { valid: false, reason: status.state, licence, status, checkedAt };
      return { valid: true, licence, status, checkedAt };
    }
    const licence = licenceOf(result.claims);
    // A slot of this region's lists that holds no licence: not a licence it issued.
    const state = await statusOf(statusList.id, statusList.index);
    if (state === undefined) return { valid: false, reason: 'unknown_issuer', licence, checkedAt };
    // The register's status, as the issuer's revocation and suspension lists carry it.
    const listState = REVOKED.has(state) ? 'revoked' : state === 'suspended' ? 'suspended' : 'valid';
    const status = { state: listState, listAgeSeconds: 0, fromCache: false } as const;
    if (listState !== 'valid') return { valid: false, reason: listState, licence, status, checkedAt };
    return { valid: true, licence, status, checkedAt };
  }
}

function licenceOf(claims: LicenceClaims): NonNullable<VerificationView['licence']> {
  const type = findLicenceType(claims.typeCode);
  return {
    identifier: claims.identifier,
    type: claims.typeCode,
    ...(type ? { typeName: type.name } : {}),
    holder: claims.holder,
    validFrom: new Date(claims.notBefore * 1000).toISOString(),
    validUntil: claims.expires === undefined ? null : new Date(claims.expires * 1000).toISOString(),
    issuer: { id: claims.issuer },
  };
}
