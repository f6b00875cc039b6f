// Template versions: every query of them.
import type { NoticeKind } from '@tongban/contracts';
import type { NotifyDb, TemplateRow } from './tables.ts';

export async function seedTemplate(db: NotifyDb, row: TemplateRow): Promise<void> {
  await db
    .insertInto('notify.template')
    .values({
      ...row,
      subject: JSON.stringify(row.subject),
      body: JSON.stringify(row.body),
      placeholders: JSON.stringify(row.placeholders),
    })
    .onConflict((oc) => oc.columns(['kind', 'channel', 'version']).doNothing())
    .execute();
}

export async function allTemplates(db: NotifyDb): Promise<TemplateRow[]> {
  return db.selectFrom('notify.template').selectAll().orderBy('kind').orderBy('channel').orderBy('version').execute();
}

export async function templateVersions(db: NotifyDb, kind: NoticeKind, channel: string): Promise<TemplateRow[]> {
  return db
    .selectFrom('notify.template')
    .selectAll()
    .where('kind', '=', kind)
    .where('channel', '=', channel)
    .orderBy('version', 'desc')
    .execute();
}

/** A new draft replaces the unpublished one (one draft at a time), else it is the next version. */
export async function saveDraft(db: NotifyDb, row: TemplateRow): Promise<void> {
  await db
    .deleteFrom('notify.template')
    .where('kind', '=', row.kind)
    .where('channel', '=', row.channel)
    .where('published_at', 'is', null)
    .execute();
  await seedTemplate(db, row);
}

export async function publishVersion(
  db: NotifyDb,
  kind: NoticeKind,
  channel: string,
  version: number,
  at: Date,
  by: string,
): Promise<boolean> {
  const done = await db
    .updateTable('notify.template')
    .set({ published_at: at, published_by: by })
    .where('kind', '=', kind)
    .where('channel', '=', channel)
    .where('version', '=', version)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}
