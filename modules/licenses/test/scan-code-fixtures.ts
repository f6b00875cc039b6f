// Small factories for the scan-code tests: a typical licence's claims and keys of both kinds.
import { generateKeyPairSync } from 'node:crypto';
import { sm2PrivateKeyFrom } from '@tongban/kernel';
import {
  es256Signer,
  sm2ScanSigner,
  trustedKeyOf,
  type LicenceClaims,
  type ScanSigner,
} from '../src/domain/scan-code/index.ts';

/** 杭州市卫生健康委员会's credit code (made up, well-formed length). */
export const ISSUER = '11330100MB0143572X';

/** A 出生医学证明 as the demo city issues it: valid from 2026-03-01 for 20 years. */
export function licenceClaims(overrides: Partial<LicenceClaims> = {}): LicenceClaims {
  return {
    identifier: `1.2.156.3005.2.11100000000013338W001.${ISSUER}.330100202600000123.001.K`,
    typeCode: '11100000000013338W001',
    holder: '欧**',
    issuer: ISSUER,
    notBefore: Date.UTC(2026, 2, 1) / 1000,
    expires: Date.UTC(2046, 2, 1) / 1000,
    issuedAt: Date.UTC(2026, 2, 1, 9, 30) / 1000,
    statusList: { id: 'zj-hz-wjw-2026-1', index: 131_071 },
    ...overrides,
  };
}

export const DURING = new Date(Date.UTC(2030, 0, 1));

export function es256(): ScanSigner {
  return es256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
}

let sm2Seed = 0;
export function sm2(): ScanSigner {
  sm2Seed += 1;
  return sm2ScanSigner(sm2PrivateKeyFrom(new Uint8Array(32).fill(sm2Seed)));
}

export const SIGNERS = { ES256: es256, SM2: sm2 } as const;

export const trustOf = (signer: ScanSigner, issuer = ISSUER) => [trustedKeyOf(signer, issuer)];
