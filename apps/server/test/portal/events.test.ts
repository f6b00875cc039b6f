// GET /portal/events: the web app's live stream of the signed-in person's application steps,
// streamed (not buffered as /portal/api's inject would) from workflow's /api/workflow/me/events
// with the session's token — a step arrives while the stream is open, the stream of one person
// carries none of another's, a browser without a session is told it is signed out, and a browser
// that goes away leaves no stream open behind it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import portal from '@tongban/portal';
import workflow from '@tongban/workflow';
import { databaseLabel, startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import { Browser, formAction } from '../../../../modules/identity/test/browser.ts';
import { createAccount, totpNow } from '../../../../modules/identity/test/fixtures.ts';
import { localTarget } from '../../../../modules/portal/src/api/events.ts';

describe(`portal live events (${databaseLabel})`, () => {
  let p: TestPlatform;
  let origin: string;

  before(async () => {
    p = await startTestPlatform([catalog, identity, workflow, portal], { seed: true, env: { TONGBAN_PORT: '0' } });
    await p.listen();
    origin = p.contexts.get('portal')!.origin();
  });
  after(() => p.dispose());

  /** Signs a fresh citizen in through identity's pages; returns the portal cookie and the CSRF token. */
  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const account = await createAccount(p, 'citizen', { mfa: true });
    const browser = new Browser();
    const callback = `${origin}/portal/callback`;
    const page = await browser.follow(`${origin}/portal/login?return=/applications`, callback);
    let next = await browser.follow(formAction(await page.response!.text(), page.url), callback, {
      form: { login: account.login, password: account.password },
    });
    if (account.totpSecret)
      next = await browser.follow(formAction(await next.response!.text(), next.url), callback, {
        form: { code: await totpNow(account.totpSecret) },
      });
    const back = await browser.request(next.url);
    assert.equal(back.status, 302);
    const set = back.headers.getSetCookie().find((c) => c.startsWith('tongban_portal='));
    assert.ok(set, 'the callback sets the session cookie');
    const cookie = set.split(';')[0]!;
    const session = (await (await fetch(`${origin}/portal/session`, { headers: { cookie } })).json()) as {
      csrf: string;
    };
    return { cookie, csrf: session.csrf };
  }

  /** Opens the stream on a connection of its own; resolves once the server says it is subscribed. */
  function open(cookie: string) {
    const url = new URL(`${origin}/portal/events`);
    const blocks: string[] = [];
    let onBlock: () => void = () => undefined;
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      agent: false,
      headers: { cookie, accept: 'text/event-stream' },
    });
    const connected = new Promise<{ status: number; type: string }>((resolve, reject) => {
      req.once('error', reject);
      req.once('response', (res) => {
        let buffer = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            blocks.push(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (blocks.at(-1)!.split('\n').includes(': connected'))
              resolve({ status: res.statusCode!, type: String(res.headers['content-type']) });
            onBlock();
          }
        });
      });
      req.end();
    });
    const step = () =>
      new Promise<Record<string, unknown>>((resolve) => {
        const check = () => {
          const found = blocks.find((b) => b.split('\n').includes('event: step'));
          if (found)
            resolve(
              JSON.parse(
                found
                  .split('\n')
                  .find((l) => l.startsWith('data: '))!
                  .slice(6),
              ),
            );
        };
        onBlock = check;
        check();
      });
    return { connected, step, blocks, close: () => req.destroy() };
  }

  const connections = () =>
    new Promise<number>((resolve, reject) => p.app.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));

  test('a step of my application arrives on the open stream as it happens; another person’s stream stays quiet', async () => {
    const me = await signIn();
    const other = await signIn();
    const mine = open(me.cookie);
    const theirs = open(other.cookie);
    const { status, type } = await mine.connected;
    assert.equal(status, 200);
    assert.match(type, /^text\/event-stream/);
    await theirs.connected;
    const submitted = await fetch(`${origin}/portal/api/workflow/applications`, {
      method: 'POST',
      headers: {
        cookie: me.cookie,
        'x-csrf-token': me.csrf,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        subject: { kind: 'matter', code: '330100-WJW-001' },
        form: {
          childName: '张小宝',
          childGender: '1',
          childBirthDate: '2026-11-20',
          birthPlace: '浙江大学医学院附属妇产科医院',
          birthWeight: 3400,
          motherName: '李梅',
          motherIdNumber: '330106199201011226',
          applicantName: '张三',
          applicantIdNumber: '33010619900101123X',
          applicantMobile: '13800000001',
          relation: '1',
        },
        materials: [{ code: 'mother-id-card', ref: 'licence:resident-id-card:mother' }],
      }),
    });
    assert.equal(submitted.status, 201, await submitted.clone().text());
    const app = (await submitted.json()) as { id: string };
    const step = await mine.step();
    assert.equal(step.applicationId, app.id);
    assert.ok(
      !theirs.blocks.some((b) => b.includes('event: step')),
      'the other person’s stream carries none of my steps',
    );
    mine.close();
    theirs.close();
  });

  test('without a session the stream is refused as signed out, in problem+json', async () => {
    const r = await fetch(`${origin}/portal/events`, { headers: { accept: 'text/event-stream' } });
    assert.equal(r.status, 401);
    assert.equal(((await r.json()) as { code: string }).code, 'PORTAL_SIGNED_OUT');
  });

  test('a browser that goes away closes the stream to the workflow too', async () => {
    const me = await signIn();
    const idle = await connections();
    const stream = open(me.cookie);
    await stream.connected;
    // The browser's connection and the portal's own to /api/workflow/me/events.
    assert.ok((await connections()) >= idle + 2, 'two connections while the stream is open');
    stream.close();
    // Closed by the server as it sees the browser go: polled (bounded), not waited for by a guess.
    let now = await connections();
    for (let i = 0; i < 100 && now > idle; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      now = await connections();
    }
    assert.ok(now <= idle, `both connections end (${now} open, ${idle} before)`);
  });

  test('the stream asked for through /portal/api is sent to /portal/events (inject would buffer it forever)', async () => {
    const r = await fetch(`${origin}/portal/api/workflow/me/events`, { redirect: 'manual' });
    assert.equal(r.status, 307);
    assert.equal(r.headers.get('location'), '/portal/events');
  });

  test('the local target of a wildcard listen address is the loopback', () => {
    assert.deepEqual(localTarget({ address: '0.0.0.0', family: 'IPv4', port: 8080 }), {
      host: '127.0.0.1',
      port: 8080,
    });
    assert.deepEqual(localTarget({ address: '::', family: 'IPv6', port: 8080 }), { host: '::1', port: 8080 });
    assert.deepEqual(localTarget({ address: '127.0.0.1', family: 'IPv4', port: 1 }), { host: '127.0.0.1', port: 1 });
    assert.equal(localTarget(null), undefined);
  });
});
