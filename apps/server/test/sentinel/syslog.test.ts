// The SIEM forwarder: each new alert reaches a syslog receiver as one RFC 5424 message in RFC 6587
// octet-counting framing, over TCP and over TLS (a self-signed certificate made with openssl);
// the cursor survives a restart — nothing sent twice, nothing skipped.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { test } from 'node:test';
import { failedSignIn, settle, startSentinel } from './fixtures.ts';

/** RFC 5424 §6: PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]. */
const RFC5424 =
  /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) ((?:\[[^\s=\]"]+(?: [^\s=\]"]+="(?:[^"\\\]]|\\["\\\]])*")*\])+|-)(?: \uFEFF([\s\S]*))?$/;

/** Splits an octet-counted stream into its messages (RFC 6587 §3.4.1). */
function unframe(buffer: Buffer): string[] {
  const messages: string[] = [];
  let at = 0;
  while (at < buffer.length) {
    const space = buffer.indexOf(0x20, at);
    const length = Number(buffer.subarray(at, space).toString('ascii'));
    assert.ok(Number.isInteger(length) && length > 0, 'a frame starts with its length');
    messages.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
    at = space + 1 + length;
  }
  return messages;
}

function receiver(kind: 'tcp' | 'tls', options: tls.TlsOptions = {}) {
  const chunks: Buffer[] = [];
  const onSocket = (socket: net.Socket) => socket.on('data', (d: Buffer) => chunks.push(d));
  const server = kind === 'tls' ? tls.createServer(options, onSocket) : net.createServer(onSocket);
  return new Promise<{ url: string; received: () => string[]; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `${kind}://${kind === 'tls' ? 'localhost' : '127.0.0.1'}:${port}`,
        received: () => unframe(Buffer.concat(chunks)),
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

for (const kind of ['tcp', 'tls'] as const) {
  test(
    `each new alert reaches a syslog receiver over ${kind.toUpperCase()} as RFC 5424, once each (the cursor moves with each batch)`,
    { skip: kind === 'tls' && !hasOpenssl() && 'openssl is missing' },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tongban-syslog-'));
      let tlsOptions: tls.TlsOptions = {};
      if (kind === 'tls') {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:P-256',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=localhost',
            '-addext',
            'subjectAltName=DNS:localhost',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
        tlsOptions = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
      }
      const siem = await receiver(kind, tlsOptions);
      const h = await startSentinel({
        env: {
          TONGBAN_SENTINEL_SYSLOG_URL: siem.url,
          ...(kind === 'tls' ? { TONGBAN_SENTINEL_SYSLOG_CA: join(dir, 'cert.pem') } : {}),
        },
      });
      try {
        for (let i = 0; i < 8; i++) await failedSignIn(h, '192.0.2.31');
        await settle(h);
        await h.p.runJob('sentinel', 'syslog-forward');
        await h.p.runJob('sentinel', 'syslog-forward'); // nothing new: nothing sent again
        for (let i = 0; i < 8; i++) await failedSignIn(h, '192.0.2.32');
        await settle(h);
        await h.p.runJob('sentinel', 'syslog-forward');
        // What the forwarder flushed is read by the receiver at its own pace.
        for (let i = 0; i < 100 && siem.received().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
        const messages = siem.received();
        assert.equal(messages.length, 2);
        const parsed = messages.map((m) => {
          const match = RFC5424.exec(m);
          assert.ok(match, `RFC 5424: ${m.slice(0, 200)}`);
          return match;
        });
        const [pri, , , app, , msgid] = parsed[0]!.slice(1);
        assert.equal(Number(pri), 10 * 8 + 4, 'authpriv, warning (a medium alert)');
        assert.equal(app, 'tongban-sentinel');
        assert.equal(msgid, 'alert');
        const bodies = parsed.map((m) => JSON.parse(m[8]!));
        assert.deepEqual(
          bodies.map((b) => b.alert.subject.value),
          ['192.0.2.31', '192.0.2.32'],
        );
        assert.match(parsed[0]![7]!, /^\[alert@32473 id="[0-9a-f-]+" rule="brute-force"/);
      } finally {
        await h.p.dispose();
        await siem.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
