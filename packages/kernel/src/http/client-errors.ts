// Answers for requests Node's HTTP parser refuses before Fastify has a request to route (headers
// too large, a malformed request line, a request that took too long), and for URLs the router
// cannot decode: problem+json with stable codes like every other refusal. No request means no
// Accept-Language: the title is in Chinese (the default) and the detail in English.
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { findErrorSpec } from '../errors.ts';

const BY_PARSER_CODE: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
};

/** What Node's parser tells of where it stopped. */
export interface ParserError {
  readonly code?: string;
  /** A Buffer at run time (Fastify's type says a JSON-ish shape). */
  readonly rawPacket?: unknown;
  readonly bytesParsed?: number;
}

/**
 * Node's parser reports an over-long request line with the same code as over-long headers: when
 * it stopped before the first line ended, the URL itself was too long (414), not the headers.
 */
function codeFor(error: ParserError): string {
  if (error.code === 'HPE_HEADER_OVERFLOW' && Buffer.isBuffer(error.rawPacket) && error.bytesParsed !== undefined) {
    const lineEnd = error.rawPacket.indexOf('\r\n');
    if (lineEnd === -1 || lineEnd >= error.bytesParsed) return 'URI_TOO_LONG';
  }
  return (error.code && BY_PARSER_CODE[error.code]) || 'MALFORMED_REQUEST';
}

/** Whether the refused request was a HEAD: its answer has headers only (RFC 9110 §9.3.2). */
function isHead(error: ParserError): boolean {
  return Buffer.isBuffer(error.rawPacket) && error.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
}

/** The problem document and raw HTTP/1.1 answer for a parser error. */
export function clientErrorAnswer(error: ParserError): string {
  const code = codeFor(error);
  const spec = findErrorSpec(code)!;
  const body = JSON.stringify({
    type: `urn:tongban:error:${code.toLowerCase().replace(/_/g, '-')}`,
    title: spec.zh,
    status: spec.status,
    code,
    detail: spec.en,
  });
  return (
    `HTTP/1.1 ${spec.status} ${STATUS_CODES[spec.status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
    // A body after a HEAD's answer would be read as the next answer on the connection.
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${isHead(error) ? '' : body}`
  );
}

/** Fastify's clientErrorHandler: same shape as its default, with our problem documents. */
export function clientErrorHandler(error: Error & ParserError, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Node marks a socket that has begun an answer; writing another would corrupt it.
  if (socket.writable && !(socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    socket.write(clientErrorAnswer(error));
  }
  socket.destroy(error);
}
