// 跨区域互认 — the trust list: other regions' issuers an operator has added, each change a new
// version (the whole list, signed, kept with who and when, appended to the ledger through
// `licenses.trust-list.changed`); this region's own entry for others to add; and, for a
// verification, the keys the list trusts and the status of a licence another region issued.
import { createHmac } from 'node:crypto';
import type { TrustEntry, TrustKeyJwk, TrustListVersion, TrustListView, TrustSelfDocument } from '@tongban/contracts';
import { isUniqueViolation, type ModuleContext } from '@tongban/kernel';
import { LICENCE_TYPES } from '../domain/licence-types.ts';
import { es256SignerFrom, type ScanSigner, type TrustedKey } from '../domain/scan-code/keys.ts';
import {
  digestOf,
  entryProblems,
  jwkOf,
  jwsSignerOf,
  signTrustList,
  trustedKeysOf,
  withEntries,
  withoutEntries,
} from '../domain/trust-list/index.ts';
import { LicenseError } from '../errors.ts';
import type { Licenses } from './licenses.ts';
import { typedTrust } from '../store/tables.ts';
import { findLatestTrustVersion, insertTrustVersion, latestTrustVersionNumber, trustVersions } from '../store/trust.ts';
import { bitOf, StatusLists } from './status-lists.ts';
import type { ForeignStatus, ForeignTrust } from './scan.ts';

type Actor = { kind: string; id: string };

export class TrustList implements ForeignTrust {
  readonly ctx: ModuleContext;
  readonly lists: StatusLists;
  readonly #licenses: Licenses;
  readonly #signer: ScanSigner;
  /** The current version's keys, read again when the version changes (any replica's change). */
  #keys: { version: number; keys: { key: TrustedKey; entry: TrustEntry }[] } | undefined;

  constructor(licenses: Licenses, lists: StatusLists = new StatusLists(licenses.ctx, licenses.scan)) {
    this.ctx = licenses.ctx;
    this.#licenses = licenses;
    this.lists = lists;
    const material = createHmac('sha256', this.ctx.secret('licenses-trust-key')).update('licenses trust-list key');
    this.#signer = es256SignerFrom(material.digest());
  }

  /** The key this region's trust list is signed with. */
  key(): TrustKeyJwk {
    return jwkOf(this.#signer);
  }

  #db() {
    return typedTrust(this.ctx.db);
  }

  /** This region's GB/T 2260 code: the region part of its issuers' credit codes (all one region's). */
  region(): string {
    return Object.values(LICENCE_TYPES)[0]!.issuerCode.slice(2, 8);
  }

  /** This region's own entry for other regions to add: each issuer, its key, where its lists are. */
  self(): TrustSelfDocument {
    const region = this.region();
    const issuers = new Map(Object.values(LICENCE_TYPES).map((t) => [t.issuerCode, t.departmentCode]));
    const entries = [...issuers].map(([issuer, department]) => ({
      region,
      issuer,
      name: { zh: `${department} 发证机关`, en: `Issuing department ${department}` },
      keys: [jwkOf(this.#licenses.scan.signer(issuer))],
      statusListBase: this.lists.base(),
    }));
    return { region, entries, trustListKey: this.key() };
  }

  /** The current version (0: nothing added yet, the empty list signed now). */
  async current(): Promise<TrustListView> {
    const row = await findLatestTrustVersion(this.#db());
    if (!row) {
      const jws = this.#sign(0, [], this.ctx.clock.now());
      return { version: 0, issuedAt: null, entries: [], jws, key: this.key() };
    }
    return {
      version: row.version,
      issuedAt: row.at.toISOString(),
      entries: row.entries,
      jws: row.jws,
      key: this.key(),
    };
  }

  async versions(limit = 100): Promise<TrustListVersion[]> {
    return (await trustVersions(this.#db(), limit)).map((r) => ({
      version: r.version,
      change: r.change,
      changed: r.changed,
      entries: r.entries.length,
      actor: { kind: r.actor_kind, id: r.actor_id },
      at: r.at.toISOString(),
    }));
  }

  /** Adds (or replaces, by region and issuer) entries: one new version. */
  add(entries: readonly TrustEntry[], actor: Actor): Promise<TrustListView> {
    const problems = entryProblems(entries, this.ctx.config.env === 'production');
    if (problems.length > 0) throw new LicenseError('LICENSES_TRUST_ENTRY_INVALID', {}, problems);
    const own = new Set(Object.values(LICENCE_TYPES).map((t) => t.issuerCode));
    const ownKeys = new Set([...own].map((i) => this.#licenses.scan.signer(i).publicKey));
    // This region's own keys are trusted already, and an entry must not claim to be them.
    entries.forEach((e, i) => {
      if (trustedKeysOf(e).some((k) => ownKeys.has(k.publicKey)))
        throw new LicenseError('LICENSES_TRUST_ENTRY_INVALID', {}, [
          { field: `body.entries.${i}.keys`, code: 'own_key', message: "this region's own key" },
        ]);
    });
    return this.#change('added', actor, (current) => ({
      entries: withEntries(current, entries),
      changed: entries.map((e) => ({ region: e.region, issuer: e.issuer })),
    }));
  }

  /** Removes a region's entries (or one issuer's): one new version; nothing matching → 404. */
  remove(region: string, issuer: string | undefined, actor: Actor): Promise<TrustListView> {
    return this.#change('removed', actor, (current) => {
      const { entries, removed } = withoutEntries(current, region, issuer);
      if (removed.length === 0)
        throw new LicenseError('LICENSES_TRUST_ENTRY_NOT_FOUND', { region, issuer: issuer ?? '*' });
      return { entries, changed: removed.map((e) => ({ region: e.region, issuer: e.issuer })) };
    });
  }

  async #change(
    change: 'added' | 'removed',
    actor: Actor,
    next: (current: readonly TrustEntry[]) => { entries: TrustEntry[]; changed: { region: string; issuer: string }[] },
  ): Promise<TrustListView> {
    // Two operators at once: both read version n, one writes n + 1, the other's insert is refused
    // by the primary key and it tries again on the list as the first left it.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ctx.transaction(async (trx, events) => {
          const db = typedTrust(trx);
          const latest = await findLatestTrustVersion(db);
          const version = (latest?.version ?? 0) + 1;
          const { entries, changed } = next(latest?.entries ?? []);
          const at = this.ctx.clock.now();
          const jws = this.#sign(version, entries, at);
          await insertTrustVersion(db, {
            version,
            entries,
            jws,
            change,
            changed,
            actorKind: actor.kind,
            actorId: actor.id,
            at,
          });
          await events.publish('licenses.trust-list.changed', {
            version,
            action: change,
            changed,
            digest: digestOf(jws),
            actor,
            at: at.toISOString(),
          });
          return { version, issuedAt: at.toISOString(), entries, jws, key: this.key() };
        });
      } catch (error) {
        if (attempt < 5 && isUniqueViolation(error, 'trust_list_version_pkey')) continue;
        throw error;
      }
    }
  }

  #sign(version: number, entries: readonly TrustEntry[], at: Date): string {
    return signTrustList(
      {
        iss: `${this.ctx.origin()}/api/licenses/trust-list`,
        region: this.region(),
        version,
        iat: Math.floor(at.getTime() / 1000),
        entries,
      },
      jwsSignerOf(this.#signer),
    );
  }

  /** Every key the current list trusts, with its entry; the entries read again only when the version changed. */
  async keys(): Promise<{ key: TrustedKey; entry: TrustEntry }[]> {
    const version = await latestTrustVersionNumber(this.#db());
    if (this.#keys?.version !== version) {
      const latest = await findLatestTrustVersion(this.#db());
      const keys = (latest?.entries ?? []).flatMap((entry) => trustedKeysOf(entry).map((key) => ({ key, entry })));
      this.#keys = { version: latest?.version ?? 0, keys };
    }
    return this.#keys.keys;
  }

  /**
   * A licence of another region: its bit in that issuer's revocation and suspension lists, with the
   * age of the older list; undefined when a list can be neither fetched nor found held here.
   */
  async statusOf(entry: TrustEntry, listId: string, index: number): Promise<ForeignStatus | undefined> {
    const [revocation, suspension] = await Promise.all([
      this.lists.held(entry, listId, 'revocation'),
      this.lists.held(entry, listId, 'suspension'),
    ]);
    if (!revocation || !suspension) return undefined;
    const now = this.ctx.clock.now().getTime();
    const age = Math.max(
      ...[revocation, suspension].map((h) => Math.floor((now - Date.parse(h.credential.validFrom)) / 1000)),
    );
    const state = bitOf(revocation.credential, index)
      ? 'revoked'
      : bitOf(suspension.credential, index)
        ? 'suspended'
        : 'valid';
    return { state, listAgeSeconds: Math.max(0, age), fromCache: revocation.fallback || suspension.fallback };
  }
}

/** The trust list of a running module (made in its start, index.ts). */
const attached = new WeakMap<Licenses, TrustList>();

export function attachTrust(licenses: Licenses): TrustList {
  const trust = new TrustList(licenses);
  licenses.scan.useTrust(trust);
  attached.set(licenses, trust);
  return trust;
}

export function trustOf(licenses: Licenses): TrustList {
  const trust = attached.get(licenses);
  if (!trust) throw new Error('the trust list is attached when the module starts');
  return trust;
}
