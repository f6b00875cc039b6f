// Where the platform gets identity's keys: GET /api/identity/keys (a public route) through the
// module client, so in-process when identity runs here and over HTTP when it does not. The
// document is a JWKS plus the issuer URL: `{ issuer: string, keys: JWK[] }`. The issuer comes
// from the same place as the keys because identity only knows it once it listens (or from
// TONGBAN_PUBLIC_URL); trusting the channel for the keys already means trusting it for this.
import type { JSONWebKeySet } from 'jose';
import type { ModuleClient } from '../client.ts';
import { DomainError } from '../errors.ts';

export const IDENTITY_MODULE = 'identity';
export const IDENTITY_KEYS_PATH = '/keys';

export interface IssuerKeySource {
  readonly keys: () => Promise<JSONWebKeySet>;
  /** The issuer the last fetched document named ('' before any fetch: nothing verifies). */
  readonly issuer: () => string;
}

/** Identity's issuer URL, read from its key document (the audience of client assertions). */
export async function identityIssuer(client: ModuleClient): Promise<string> {
  const doc = await client.request<{ issuer?: unknown }>(IDENTITY_MODULE, { path: IDENTITY_KEYS_PATH });
  if (typeof doc?.issuer !== 'string' || !/^https?:\/\//.test(doc.issuer))
    throw new DomainError('UPSTREAM_UNAVAILABLE', { module: IDENTITY_MODULE });
  return doc.issuer;
}

export function identityKeySource(client: ModuleClient): IssuerKeySource {
  let issuer = '';
  return {
    async keys() {
      const doc = await client.request<{ issuer?: unknown; keys?: unknown }>(IDENTITY_MODULE, {
        path: IDENTITY_KEYS_PATH,
      });
      if (typeof doc?.issuer !== 'string' || !/^https?:\/\//.test(doc.issuer) || !Array.isArray(doc.keys)) {
        throw new DomainError('UPSTREAM_UNAVAILABLE', { module: IDENTITY_MODULE });
      }
      issuer = doc.issuer;
      return { keys: doc.keys as JSONWebKeySet['keys'] };
    },
    issuer: () => issuer,
  };
}
