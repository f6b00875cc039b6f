// Sends one fuzz request over a real socket, headers exactly as given (a name twice goes twice, as
// a careless proxy would send it), and reads the answer within a time limit: no answer in time is
// a hang. An event stream counts as answered when its headers arrive.
import http from 'node:http';

export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly ms: number;
}

export type Outcome = { readonly answer: Answer } | { readonly hang: number } | { readonly error: string };

const MAX_BODY = 2 * 1024 * 1024;

export function send(
  agent: http.Agent,
  base: URL,
  method: string,
  url: string,
  headers: readonly (readonly [string, string])[],
  body: string | Uint8Array | undefined,
  timeoutMs: number,
): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(o);
    };
    let req: http.ClientRequest;
    try {
      req = http.request({
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path: url,
        // As an array, Node adds neither Host nor Content-Length: a client would send both.
        headers: [
          ['host', base.host] as const,
          ...(body === undefined ? [] : [['content-length', String(Buffer.byteLength(body))] as const]),
          ...headers,
        ].flatMap(([k, v]) => [k, v]),
      });
    } catch (error) {
      // The client itself refused it (a character Node never puts on the wire): nothing was sent.
      return resolve({ error: `not sent: ${(error as Error).message}` });
    }
    const timer = setTimeout(() => {
      finish({ hang: timeoutMs });
      req.destroy();
    }, timeoutMs);
    req.on('response', (res) => {
      const type = String(res.headers['content-type'] ?? '');
      if (type.startsWith('text/event-stream')) {
        finish({
          answer: { status: res.statusCode ?? 0, headers: res.headers, body: '', ms: performance.now() - started },
        });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      res.on('end', () =>
        finish({
          answer: {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          },
        }),
      );
      res.on('error', (e) => finish({ error: `response: ${e.message}` }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish({ error: `${e.code ?? ''} ${e.message}` }));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}
