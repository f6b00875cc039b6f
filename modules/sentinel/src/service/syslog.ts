// The SIEM forwarder: each new alert as one RFC 5424 syslog message over TCP or TLS, framed by
// octet counting (RFC 6587 §3.4.1), to TONGBAN_SENTINEL_SYSLOG_URL. A cursor (the alert's seq) in
// sentinel.forward_cursor moves in the job's transaction once the batch is written and the socket
// flushed: a restart resends at most the batch in flight, never skips one — each message names its
// alert (MSGID and structured data), so a receiver can drop the rare duplicate.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import net from 'node:net';
import tls from 'node:tls';
import type { AlertExportLine } from '@tongban/contracts';
import type { ModuleTrx } from '@tongban/kernel';
import * as store from '../store/sentinel.ts';
import { typed } from '../store/tables.ts';
import { exportLine } from './views.ts';

/** RFC 5424 §6.2.1: facility 10 (security/authorization, authpriv). */
const FACILITY = 10;
const SEVERITY_CODE = { critical: 2, high: 3, medium: 4, low: 5 } as const;
/** RFC 5612's enterprise number for documentation; an operator's SIEM parses by the SD-ID name. */
const SD_ID = 'alert@32473';
const BATCH = 100;

/** PRINTUSASCII without space, at most `max` (RFC 5424 §6 header fields); '-' when empty. */
function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** RFC 5424 §6.3.3: '"', '\' and ']' are escaped in PARAM-VALUE. */
const sdValue = (value: string) => value.replace(/["\\\]]/g, (c) => `\\${c}`);

export function syslogMessage(line: AlertExportLine, host = hostname(), procId = String(process.pid)): string {
  const { alert } = line;
  const pri = FACILITY * 8 + SEVERITY_CODE[alert.severity];
  const sd =
    `[${SD_ID} id="${sdValue(alert.id)}" rule="${sdValue(alert.ruleId)}" version="${alert.rulesVersion}"` +
    ` severity="${alert.severity}" subject="${sdValue(`${alert.subject.kind}:${alert.subject.value}`)}"` +
    ` cursor="${line.cursor}"]`;
  // MSG: UTF-8 with its BOM (§6.4), the whole export line as JSON.
  return `<${pri}>1 ${alert.raisedAt} ${headerField(host, 255)} tongban-sentinel ${headerField(procId, 128)} alert ${sd} \ufeff${JSON.stringify(line)}`;
}

/** RFC 6587 octet counting: `<length in octets> <message>`. */
export function frame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

export interface SyslogTarget {
  readonly url: string;
  readonly ca?: string;
}

function connect(target: SyslogTarget, timeoutMs: number): Promise<net.Socket> {
  const url = new URL(target.url);
  const port = Number(url.port);
  const host = url.hostname;
  return new Promise((resolve, reject) => {
    const socket =
      url.protocol === 'tls:'
        ? tls.connect(
            {
              host,
              port,
              servername: net.isIP(host) ? undefined : host,
              ...(target.ca ? { ca: readFileSync(target.ca) } : {}),
            },
            () => resolve(socket),
          )
        : net.connect({ host, port }, () => resolve(socket));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`syslog receiver ${target.url} timed out`)));
    socket.once('error', reject);
  });
}

function write(socket: net.Socket, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(chunk, (error) => (error ? reject(error) : resolve())));
}

/** Sends the alerts after the cursor; answers how many were sent. */
export async function forwardAlerts(mtrx: ModuleTrx, target: SyslogTarget, timeoutMs = 5000): Promise<number> {
  const trx = typed(mtrx);
  const cursor = await store.readCursor(trx, target.url);
  const alerts = await store.alertsAfter(trx, cursor, BATCH);
  if (alerts.length === 0) return 0;
  const socket = await connect(target, timeoutMs);
  try {
    for (const alert of alerts) await write(socket, frame(syslogMessage(await exportLine(mtrx, alert))));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.end(() => resolve());
    });
  } finally {
    socket.destroy();
  }
  await store.writeCursor(trx, target.url, alerts.at(-1)!.seq);
  return alerts.length;
}
