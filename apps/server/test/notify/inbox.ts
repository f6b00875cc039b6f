// The inbox moved from the workflow to notify (issue 15): workflow tests that read an applicant's
// notices run notify beside the workflow and read them here, once the workflow's events are
// consumed (a notice is written by notify's consumer, not in the workflow's transaction).
import catalog from '@tongban/catalog';
import notify from '@tongban/notify';
import workflow from '@tongban/workflow';
import type { NoticeView } from '@tongban/contracts';
import type { Harness } from '../workflow/fixtures.ts';

/** The workflow's default modules, with notify. */
export const withNotify = [catalog, workflow, notify];

/** The applicant's notices (`GET /api/notify/me/notices`) once every event so far is consumed. */
export async function inbox(h: Harness, headers: Record<string, string>, query = ''): Promise<NoticeView[]> {
  await h.p.bus.settled();
  const r = await h.call('GET', `/api/notify/me/notices${query}`, headers);
  if (r.status !== 200) throw new Error(`inbox answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as NoticeView[];
}
