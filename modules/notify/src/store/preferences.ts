// Preferences: every query of them.
import type { NotifyDb, PreferenceRow } from './tables.ts';

export async function findPreference(db: NotifyDb, accountId: string): Promise<PreferenceRow | undefined> {
  return db.selectFrom('notify.preference').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

export async function savePreference(db: NotifyDb, row: Omit<PreferenceRow, 'channels'> & { channels: unknown }) {
  const values = { ...row, channels: JSON.stringify(row.channels) };
  await db
    .insertInto('notify.preference')
    .values(values)
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({
        channels: values.channels,
        quiet_start: values.quiet_start,
        quiet_end: values.quiet_end,
        language: values.language,
        email: values.email,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}
