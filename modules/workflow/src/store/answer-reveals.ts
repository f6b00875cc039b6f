// 查看明文 of form answers: one row per reveal (migration 0007), with the officer's reason sealed by
// the service; counted for the hourly limit under a lock per officer, so parallel requests cannot
// race past it.
import { narrowTo } from '@tongban/kernel';
import { sql, type Kysely } from 'kysely';
import type { WorkflowTables } from './tables.ts';

interface AnswerRevealRow {
  id: string;
  officer_id: string;
  task_id: string;
  application_id: string;
  field: string;
  /** Sealed (ctx.fields, 'workflow.answer_reveal.reason'). */
  reason: string;
  revealed_at: Date;
}

export interface AnswerRevealTables extends WorkflowTables {
  'workflow.answer_reveal': AnswerRevealRow;
}

/** The workflow's handle with its reveal table (kept beside its only user, not in tables.ts). */
export const withReveals = narrowTo<AnswerRevealTables>();
type Db = Kysely<AnswerRevealTables>;

/** Serialises one officer's reveals (a transaction-scoped advisory lock). */
export async function lockOfficerAnswerReveals(trx: Db, officerId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`workflow.answer_reveal:${officerId}`}))`.execute(trx);
}

export async function countAnswerRevealsSince(db: Db, officerId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('workflow.answer_reveal')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('officer_id', '=', officerId)
    .where('revealed_at', '>=', since)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function insertAnswerReveal(
  db: Db,
  reveal: {
    id: string;
    officerId: string;
    taskId: string;
    applicationId: string;
    field: string;
    reason: string;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('workflow.answer_reveal')
    .values({
      id: reveal.id,
      officer_id: reveal.officerId,
      task_id: reveal.taskId,
      application_id: reveal.applicationId,
      field: reveal.field,
      reason: reveal.reason,
      revealed_at: reveal.at,
    })
    .execute();
}
