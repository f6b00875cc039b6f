// 窗口核验: a counter officer looks up the resident in front of them by the ID number on their card
// before filing for them — whether the number has a citizen account and whether it is active, with
// the holder's name and mobile masked as a counter needs them (张*, 138****5678), nothing more. Only
// within the officer's jurisdiction, judged by the ID number's region before anything is read, so
// another region's officer learns nothing of the person. Every look-up, found or not, is the
// event identity.resident.looked-up, durable in the outbox before the answer leaves (the ledger
// records it under the account when there is one).
import { regionCovers, type ModuleContext, type Principal } from '@tongban/kernel';
import { IdentityError } from '../errors.ts';
import {
  isValidResidentId,
  maskMobile,
  maskName,
  maskResidentId,
  normaliseResidentId,
  regionOfIdentifier,
} from '../domain/identifiers.ts';
import { findAccountByLogin, isActive } from '../store/accounts.ts';
import { typed } from '../store/tables.ts';

export interface ResidentAtCounter {
  readonly idNumber: string;
  readonly account: boolean;
  readonly active: boolean;
  readonly name: string | null;
  readonly mobile: string | null;
}

export async function lookUpResident(
  ctx: ModuleContext,
  officer: Principal,
  given: string,
): Promise<ResidentAtCounter> {
  const idNumber = normaliseResidentId(given);
  if (!isValidResidentId(idNumber, ctx.clock.now()))
    throw new IdentityError('IDENTITY_INVALID_RESIDENT_ID', {}, [
      { field: 'params.idNumber', code: 'check_digit', message: 'GB 11643' },
    ]);
  const region = regionOfIdentifier('citizen', idNumber)!;
  if (!officer.regions.some((r) => regionCovers(r, region)))
    throw new IdentityError('FORBIDDEN_RESOURCE', {}, [
      { field: 'params.idNumber', code: 'outside_jurisdiction', message: 'registered outside your jurisdiction' },
    ]);
  const found = await findAccountByLogin(typed(ctx.db), idNumber);
  const account = found?.kind === 'citizen' ? found : undefined;
  await ctx.events.commit('identity.resident.looked-up', {
    by: officer.id,
    found: account !== undefined,
    region,
    ...(account ? { accountId: account.id } : {}),
  });
  return {
    idNumber: maskResidentId(idNumber),
    account: account !== undefined,
    active: account ? isActive(account) : false,
    name: account ? maskName(account.displayName) : null,
    mobile: account?.mobile ? maskMobile(account.mobile) : null,
  };
}
