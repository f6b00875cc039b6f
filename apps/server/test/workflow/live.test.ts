// What the applicant sees: live steps over Server-Sent Events on a real socket (with Last-Event-ID
// to catch up after a disconnect) and the in-app notices. Filing at a service counter: counter.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel, testPostgresUrl } from '@tongban/kernel/testing';
import pg from 'pg';
import { act, startWorkflow, submitBirthCertificate, token, type Harness } from './fixtures.ts';
import { inbox, withNotify } from '../notify/inbox.ts';

interface Step {
  seq: number;
  applicationId: string;
  taskId: string | null;
  action: string;
  from: string | null;
  to: string | null;
}

/**
 * Reads an event stream until `until` holds for the steps received; `connected` resolves when the
 * server says the stream is subscribed (its `: connected` comment).
 */
function readSteps(
  url: string,
  headers: Record<string, string>,
  until: (steps: Step[]) => boolean,
  signal: AbortSignal,
): { connected: Promise<void>; done: Promise<{ steps: Step[]; ids: number[] }> } {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  return { connected: ready, done: read(url, headers, until, signal, connected) };
}

async function read(
  url: string,
  headers: Record<string, string>,
  until: (steps: Step[]) => boolean,
  signal: AbortSignal,
  connected: () => void,
): Promise<{ steps: Step[]; ids: number[] }> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const steps: Step[] = [];
  const ids: number[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.split('\n').includes(': connected')) connected();
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      const id = block.split('\n').find((l) => l.startsWith('id: '));
      if (data) steps.push(JSON.parse(data.slice(6)) as Step);
      if (id) ids.push(Number(id.slice(4)));
    }
    if (until(steps)) break;
  }
  return { steps, ids };
}

describe(`live status, notices and the counter (${databaseLabel})`, () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await startWorkflow({ env: { TONGBAN_PORT: '0', TONGBAN_HOST: '127.0.0.1' }, modules: withNotify });
    base = await h.p.listen();
  });
  after(() => h.p.dispose());

  test('every open channel of the applicant receives each step as it happens', async () => {
    const citizen = await h.citizen('c-live');
    const app = await submitBirthCertificate(h, citizen);
    const task = app.tasks[0];
    const officer = await h.officer('330100-WJW');
    const controller = new AbortController();
    const wanted = (steps: Step[]) => steps.some((s) => s.action === 'approve');
    // Two channels (say the web portal and a kiosk), both subscribed before the officer acts.
    const channels = [0, 1].map(() =>
      readSteps(`${base}/api/workflow/me/events`, citizen, (s) => wanted(s), controller.signal),
    );
    await Promise.all(channels.map((c) => c.connected));
    let version = task.version;
    for (const action of ['accept', 'review', 'approve']) {
      const r = await act(h, officer, task.id, { action, version });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      version = r.body.version;
    }
    const results = await Promise.all(channels.map((c) => c.done));
    controller.abort();
    for (const { steps } of results) {
      const mine = steps.filter((s) => s.applicationId === app.id).map((s) => s.action);
      assert.deepEqual(
        mine.filter((a) => a !== 'complete'),
        ['accept', 'review', 'approve'],
      );
    }
  });

  test('a HEAD of the stream is answered with its headers at once, not held open', async () => {
    const res = await fetch(`${base}/api/workflow/me/events`, {
      method: 'HEAD',
      headers: await h.citizen('c-head'),
      signal: AbortSignal.timeout(5_000),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  });

  test('a reconnecting channel sends Last-Event-ID and receives what it missed, nothing of others', async () => {
    const citizen = await h.citizen('c-away');
    const app = await submitBirthCertificate(h, citizen);
    const seen = await h.p.database.db
      .selectFrom('workflow.action')
      .select('seq')
      .where('application_id', '=', app.id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const officer = await h.officer('330100-WJW');
    await act(h, officer, app.tasks[0].id, { action: 'reject', version: app.tasks[0].version, reason: '非本机构出生' });
    await submitBirthCertificate(h, await h.citizen('c-neighbour'));
    const controller = new AbortController();
    const { steps, ids } = await readSteps(
      `${base}/api/workflow/me/events`,
      { ...citizen, 'last-event-id': String(seen.seq) },
      (s) => s.some((x) => x.action === 'close'),
      controller.signal,
    ).done;
    controller.abort();
    // What came after Last-Event-ID, in order; before it, at most the few steps logged just
    // before it (a late commit may hide there) — sent again, which clients dedupe by seq.
    assert.deepEqual(
      steps.filter((s) => s.seq > seen.seq).map((s) => s.action),
      ['reject', 'close'],
    );
    assert.ok(
      steps.every((s) => s.applicationId === app.id),
      'nothing of others',
    );
    assert.equal(new Set(ids).size, ids.length, 'each step once');
  });

  test(
    'a step that commits after a later one still reaches the stream',
    {
      timeout: 20_000,
      skip: testPostgresUrl ? false : 'needs PostgreSQL: set TONGBAN_TEST_DATABASE_URL (two transactions at once)',
    },
    async () => {
      const citizen = await h.citizen('c-late-commit');
      const [first, second] = [await submitBirthCertificate(h, citizen), await submitBirthCertificate(h, citizen)];
      const controller = new AbortController();
      let sawEarly!: () => void;
      const early = new Promise<void>((resolve) => {
        sawEarly = resolve;
      });
      const stream = readSteps(
        `${base}/api/workflow/me/events`,
        citizen,
        (steps) => {
          if (steps.some((x) => x.action === 'early-step')) sawEarly();
          return steps.some((x) => x.action === 'late-step');
        },
        controller.signal,
      );
      await stream.connected;
      const note = `insert into workflow.action (application_id, task_id, task_version, action, actor_kind, actor_id, from_state, to_state, detail, at)
      values ($1, null, null, $2, 'system', 'test', null, null, '{}', now()) returning seq`;
      const [slow, quick] = [
        new pg.Client({ connectionString: h.p.config.databaseUrl }),
        new pg.Client({ connectionString: h.p.config.databaseUrl }),
      ];
      await Promise.all([slow.connect(), quick.connect()]);
      try {
        await slow.query('begin');
        const late = Number((await slow.query(note, [first.id, 'late-step'])).rows[0].seq); // takes the lower seq …
        const higher = Number((await quick.query(note, [second.id, 'early-step'])).rows[0].seq); // … this one commits first
        assert.ok(higher > late);
        await early; // the stream has sent the higher seq
        await slow.query('commit'); // and now the lower one lands
        const { steps } = await stream.done;
        controller.abort();
        assert.deepEqual(
          steps.filter((x) => x.action.endsWith('-step')).map((x) => [x.action, x.seq]),
          [
            ['early-step', higher],
            ['late-step', late],
          ],
        );

        // Again, but the stream is gone when the lower one commits: the reconnect still gets it.
        const away = new AbortController();
        let sawSecond!: () => void;
        const secondSeen = new Promise<void>((resolve) => {
          sawSecond = resolve;
        });
        const gone = readSteps(
          `${base}/api/workflow/me/events`,
          citizen,
          (got) => {
            if (got.some((x) => x.action === 'early-step-2')) sawSecond();
            return false;
          },
          away.signal,
        );
        await gone.connected;
        await slow.query('begin');
        const late2 = Number((await slow.query(note, [first.id, 'late-step-2'])).rows[0].seq);
        const higher2 = Number((await quick.query(note, [second.id, 'early-step-2'])).rows[0].seq);
        await secondSeen;
        away.abort();
        await gone.done.catch(() => undefined);
        await slow.query('commit');
        const back = new AbortController();
        const { steps: replayed } = await readSteps(
          `${base}/api/workflow/me/events`,
          { ...citizen, 'last-event-id': String(higher2) },
          (got) => got.some((x) => x.action === 'late-step-2'),
          back.signal,
        ).done;
        back.abort();
        assert.ok(
          replayed.some((x) => x.action === 'late-step-2' && x.seq === late2),
          JSON.stringify(replayed.map((x) => [x.action, x.seq])),
        );
      } finally {
        await Promise.all([slow.end(), quick.end()]);
      }
    },
  );

  test(
    'a stream ends when the token that opened it expires, saying so; a token about to expire opens none',
    { timeout: 20_000 },
    async () => {
      const spent = {
        authorization: `Bearer ${await token(h.key, { sub: 'c-live-expiry', kind: 'citizen', regions: ['330106'], lifetimeSeconds: 3 })}`,
      };
      const refused = await fetch(`${base}/api/workflow/me/events`, {
        headers: { accept: 'text/event-stream', ...spent },
      });
      assert.equal(refused.status, 401, 'less than 5 s left: sign in again rather than reconnect in a loop');
      assert.equal(((await refused.json()) as { code: string }).code, 'TOKEN_EXPIRED');
      const shortLived = {
        authorization: `Bearer ${await token(h.key, { sub: 'c-live-expiry', kind: 'citizen', regions: ['330106'], lifetimeSeconds: 7 })}`,
      };
      const res = await fetch(`${base}/api/workflow/me/events`, {
        headers: { accept: 'text/event-stream', ...shortLived },
      });
      assert.equal(res.status, 200);
      const text = await res.text(); // resolves only when the server ends the stream
      assert.match(text, /: connected\n\n/);
      assert.match(
        text,
        /event: expired\ndata: \{"reason":"token-expired"\}\n\n$/,
        'the last thing said is why the stream ends',
      );
    },
  );

  test('notices arrive in the inbox in the asked language and can be marked read', async () => {
    const citizen = await h.citizen('c-inbox');
    const app = await submitBirthCertificate(h, citizen);
    const zh = await inbox(h, citizen);
    assert.equal(zh[0]!.kind, 'submitted');
    assert.equal(zh[0]!.text, `您的申请已提交，办件编号 ${app.caseNumber}。`);
    const en = await inbox(h, { ...citizen, 'accept-language': 'en-GB,en;q=0.8' });
    assert.equal(en[0]!.text, `Your application has been submitted as ${app.caseNumber}.`);
    assert.equal((await h.call('POST', `/api/notify/me/notices/${zh[0]!.id}/read`, citizen)).status, 204);
    assert.deepEqual(await inbox(h, citizen, '?unread=true'), []);
    assert.equal(
      (await h.call('POST', `/api/notify/me/notices/${zh[0]!.id}/read`, await h.citizen('c-nosy'))).status,
      404,
    );
  });
});

test('closing the server ends open event streams rather than waiting on them', { timeout: 30_000 }, async () => {
  const h = await startWorkflow({ env: { TONGBAN_PORT: '0', TONGBAN_HOST: '127.0.0.1' } });
  const base = await h.p.listen();
  const res = await fetch(`${base}/api/workflow/me/events`, {
    headers: { accept: 'text/event-stream', ...(await h.citizen('c-shutdown')) },
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  assert.match(new TextDecoder().decode((await reader.read()).value), /: connected/);
  await h.p.dispose();
  assert.equal((await reader.read()).done, true, 'the stream was ended by the server');
});
