// E-mail against a real SMTP server (npm `smtp-server`) started here: the message arrives with its
// Chinese subject and body intact (decoded from the wire by hand, MIME encoded-words and
// transfer encodings), a dropped connection is retryable and the resend carries the same
// Message-ID, a 5xx refusal is not retried.
import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { createSmtpMailer, messageIdHeader } from '../../src/service/channels/smtp.ts';
import { ChannelError, type MailMessage } from '../../src/service/channels/types.ts';

interface Started {
  readonly url: string;
  readonly messages: string[];
  readonly server: SMTPServer;
}
const started: SMTPServer[] = [];
after(() => Promise.all(started.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

async function smtp(options: SMTPServerOptions = {}, onMessage?: (raw: string) => Error | undefined): Promise<Started> {
  const messages: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1');
        const refusal = onMessage?.(raw);
        if (!refusal) messages.push(raw);
        callback(refusal ?? null);
      });
    },
    ...options,
  });
  started.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, messages, server };
}

/** Headers (unfolded, lower-case names) and the decoded text body of a single-part message. */
function parse(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = raw.slice(split + 4);
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    cte === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : cte === 'quoted-printable'
        ? qp(body.replace(/=\r\n/g, ''))
        : Buffer.from(body, 'latin1');
  assert.match(headers.get('content-type') ?? '', /charset=utf-8/i);
  return { headers, text: bytes.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

function qp(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(s.charCodeAt(i));
  }
  return Buffer.from(out);
}

/** RFC 2047 encoded words; adjacent ones join (bytes first: a character may span two words). */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=\s*)+/g, (run) => {
      const bytes: Buffer[] = [];
      for (const [, charset, enc, text] of run.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)) {
        assert.match(charset ?? '', /^utf-8$/i);
        bytes.push(
          enc?.toUpperCase() === 'B' ? Buffer.from(text ?? '', 'base64') : qp((text ?? '').replace(/_/g, ' ')),
        );
      }
      return Buffer.concat(bytes).toString('utf8') + (/\s$/.test(run) ? ' ' : '');
    })
    .trim();
}

const mail = (overrides: Partial<MailMessage> = {}): MailMessage => ({
  to: 'zhang.san@example.cn',
  subject: '【通办】您的申请已办结：营业执照核发（受理号 TB-2026-000123）',
  text: '张三，您好：\n您于2026年12月7日提交的“企业设立登记”申请已办结，请登录通办查看电子证照。\n——通办政务服务平台',
  messageId: 'msg_01HZX3',
  lang: 'zh-CN',
  ...overrides,
});
const from = '通办 <noreply@tongban.example>';

async function refused(p: Promise<unknown>, code: string, retryable: boolean) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ChannelError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.retryable, retryable);
    return true;
  });
}

test('a message arrives with its Chinese subject and body intact, its Message-ID and language', async () => {
  const server = await smtp();
  const mailer = createSmtpMailer({ url: server.url, from, timeoutMs: 2_000 });
  const sent = await mailer.send(mail());
  await mailer.close();
  assert.equal(server.messages.length, 1);
  const { headers, text } = parse(server.messages[0] as string);
  assert.equal(decodeWords(headers.get('subject') ?? ''), mail().subject);
  assert.equal(text, mail().text);
  assert.equal(headers.get('message-id'), '<msg_01HZX3@tongban.example>');
  assert.equal(sent.providerMessageId, '<msg_01HZX3@tongban.example>');
  assert.equal(headers.get('content-language'), 'zh-CN');
  assert.equal(headers.get('to'), 'zhang.san@example.cn');
  assert.match(decodeWords(headers.get('from') ?? ''), /通办 <noreply@tongban\.example>/);
});

test('over STARTTLS with the server’s own certificate when told not to check it', async () => {
  const server = await smtp({ disabledCommands: [] });
  const mailer = createSmtpMailer({ url: server.url, from, timeoutMs: 2_000, tls: { rejectUnauthorized: false } });
  await mailer.send(mail({ lang: 'en', subject: 'Your application is complete', text: 'Hello' }));
  assert.equal(parse(server.messages[0] as string).text, 'Hello');
  // And refused when the certificate must be valid.
  const strict = createSmtpMailer({ url: server.url, from, timeoutMs: 2_000, tls: { rejectUnauthorized: true } });
  await refused(strict.send(mail()), 'smtp_unavailable', true);
});

test('a connection dropped in the middle of DATA is retryable; the resend has the same Message-ID', async () => {
  let drop = true;
  const box: { server?: SMTPServer } = {};
  const server = await smtp({
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        if (drop) {
          drop = false;
          dropped = true;
          for (const c of box.server?.connections ?? []) if (c.session.id === session.id) c._socket.destroy();
        }
      });
      stream.on('end', () => {
        // A dropped session never got its 250: the message was not accepted.
        if (!dropped) server.messages.push(Buffer.concat(chunks).toString('latin1'));
        callback(null);
      });
    },
  });
  box.server = server.server;
  const mailer = createSmtpMailer({ url: server.url, from, timeoutMs: 2_000 });
  await refused(mailer.send(mail()), 'smtp_unavailable', true);
  assert.equal(server.messages.length, 0, 'nothing was accepted');
  await mailer.send(mail());
  assert.equal(server.messages.length, 1);
  assert.equal(parse(server.messages[0] as string).headers.get('message-id'), messageIdHeader('msg_01HZX3', from));
});

test('a 550 for the recipient is not retried; a 451 is', async () => {
  const noUser = await smtp({
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
    },
  });
  await refused(createSmtpMailer({ url: noUser.url, from }).send(mail()), 'smtp_rejected', false);
  const busy = await smtp({}, () => Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
  await refused(createSmtpMailer({ url: busy.url, from }).send(mail()), 'smtp_unavailable', true);
  const spam = await smtp({}, () => Object.assign(new Error('5.7.1 Rejected'), { responseCode: 554 }));
  await refused(createSmtpMailer({ url: spam.url, from }).send(mail()), 'smtp_rejected', false);
});

test('no server, or a server that never greets, is retryable', async () => {
  const gone = await smtp();
  await new Promise<void>((resolve) => gone.server.close(() => resolve()));
  await refused(createSmtpMailer({ url: gone.url, from, timeoutMs: 1_000 }).send(mail()), 'smtp_unavailable', true);
  const mute = createNetServer(() => undefined);
  await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => (mute.close(() => resolve()), undefined)));
  const { port } = mute.address() as AddressInfo;
  const sockets = new Set<Socket>();
  mute.on('connection', (s) => sockets.add(s));
  await refused(
    createSmtpMailer({ url: `smtp://127.0.0.1:${port}`, from, timeoutMs: 200 }).send(mail()),
    'smtp_unavailable',
    true,
  );
  for (const s of sockets) s.destroy();
});

test('the Message-ID is built once from our id and kept when already one', () => {
  assert.equal(messageIdHeader('msg 1/ü', 'a@b.cn'), '<msg-1/-@b.cn>');
  assert.equal(messageIdHeader('<x@y.z>', 'a@b.cn'), '<x@y.z>');
  assert.equal(messageIdHeader('m1', 'no-address'), '<m1@tongban.local>');
});
