// Agents (经办人): the citizens a business has authorised to act for it.
import type { Db } from './tables.ts';

/** Authorises a citizen for a business; authorising again changes nothing. */
export async function addAgent(db: Db, businessId: string, citizenId: string): Promise<void> {
  await db
    .insertInto('identity.agent')
    .values({ business_id: businessId, citizen_id: citizenId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Every authorisation the citizen holds; how many there were. */
export async function removeAgentLinksOf(db: Db, citizenId: string): Promise<number> {
  const result = await db.deleteFrom('identity.agent').where('citizen_id', '=', citizenId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Every agent of the business. */
export async function removeAgentsOfBusiness(db: Db, businessId: string): Promise<void> {
  await db.deleteFrom('identity.agent').where('business_id', '=', businessId).execute();
}
