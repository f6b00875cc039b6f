// Payment channels behind one interface. One adapter: the simulator's protocol (apps/paysim),
// modelled on Alipay's open API — form-urlencoded gateway requests signed with the merchant key
// (RSA2), answers `{"response":…,"sign":"…"}` and asynchronous notifies signed with the channel's
// key, a daily statement file signed in a header. A real channel speaking it is configured by URL
// and public key; production refuses the bundled simulator.
import { createPublicKey } from 'node:crypto';
import { fenToYuan, yuanToFen } from '../domain/amounts.ts';
import {
  canonicalString,
  rsaVerifier,
  sm2Verifier,
  type SignType,
  type TextSigner,
  type TextVerifier,
} from '../domain/signing.ts';

export interface SessionRequest {
  orderId: string;
  amountFen: number;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
  expiresAt: Date;
}

export interface ChannelTrade {
  /** `paid` (TRADE_SUCCESS), `pending` (waiting for the payer), `closed`, or `not_found` (no checkout reached it). */
  state: 'paid' | 'pending' | 'closed' | 'not_found';
  tradeNo?: string;
  amountFen?: number;
  paidAt?: Date;
}

export interface PaymentChannel {
  readonly name: string;
  /** Our merchant (app) id at the channel: a notify for another is refused. */
  readonly appId: string;
  createSession(request: SessionRequest): Promise<{ sessionId: string; nextUrl: string; expiresAt: Date }>;
  /** Whether a notify's form carries the channel's signature. */
  verifyNotify(form: Readonly<Record<string, string>>): Promise<boolean>;
  /** The active query (主动查询): what the channel says of our order. */
  query(orderId: string): Promise<ChannelTrade>;
  /** A refund keyed by our refund id (the channel's out_request_no): the same id again refunds nothing more. */
  refund(request: {
    orderId: string;
    refundId: string;
    amountFen: number;
    reason: string;
  }): Promise<{ refundedTotalFen: number }>;
  /** The day's statement file (CSV), its signature checked. */
  statement(day: string): Promise<string>;
}

export class ChannelError extends Error {
  override name = 'ChannelError';
  readonly subCode: string | undefined;
  constructor(message: string, subCode?: string) {
    super(message);
    this.subCode = subCode;
  }
}

export interface GatewayOptions {
  name: string;
  /** The channel's base URL (a function: the simulator's is this server's origin, known once it listens). */
  baseUrl: () => string;
  appId: string;
  /** Our merchant key's signing half (RSA2 or SM2). */
  signer: TextSigner;
  /** The channel's public key: configured, or (development) fetched once from `<baseUrl>/keys`. */
  verifier: () => Promise<TextVerifier>;
  timeoutMs?: number;
  now?: () => Date;
}

/** A channel public key as configured: a PEM (RSA2) or the uncompressed SM2 point in hex (04‖x‖y). */
export function verifierOf(type: SignType, publicKey: string): TextVerifier {
  if (type === 'SM2') {
    if (!/^04[0-9a-fA-F]{128}$/.test(publicKey)) throw new ChannelError('not an SM2 public key (04‖x‖y, hex)');
    return sm2Verifier(publicKey.toLowerCase());
  }
  return rsaVerifier(createPublicKey(publicKey));
}

/** Fetches the channel's published key once (development only: production configures it). */
export function fetchedVerifier(baseUrl: () => string, type: SignType, timeoutMs = 5000): () => Promise<TextVerifier> {
  let verifier: Promise<TextVerifier> | undefined;
  return () =>
    (verifier ??= (async () => {
      const res = await fetch(`${baseUrl()}/keys`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new ChannelError(`the channel's keys answered ${res.status}`);
      const body = (await res.json()) as { alg?: string; publicKey?: string };
      if (body.alg !== type) throw new ChannelError(`the channel signs with ${String(body.alg)}, not ${type}`);
      return verifierOf(type, String(body.publicKey));
    })().catch((error: unknown) => {
      verifier = undefined;
      throw error;
    }));
}

export class GatewayChannel implements PaymentChannel {
  readonly name: string;
  readonly appId: string;
  readonly #o: GatewayOptions;

  constructor(options: GatewayOptions) {
    this.#o = options;
    this.name = options.name;
    this.appId = options.appId;
  }

  /** Registers our public key with a simulator that accepts registration (development); a real channel has it from onboarding. */
  async register(publicKey: string): Promise<void> {
    const res = await fetch(`${this.#o.baseUrl()}/merchants/${encodeURIComponent(this.appId)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ alg: this.#o.signer.type, publicKey }),
      signal: AbortSignal.timeout(this.#o.timeoutMs ?? 5000),
    });
    if (res.status !== 200 && res.status !== 201)
      throw new ChannelError(`the channel refused our merchant key (${res.status})`);
  }

  private async call(
    method: string,
    biz: Record<string, unknown>,
    extra: Record<string, string> = {},
  ): Promise<Record<string, string>> {
    const unsigned: Record<string, string> = {
      app_id: this.appId,
      method,
      charset: 'utf-8',
      sign_type: this.#o.signer.type,
      timestamp: (this.#o.now?.() ?? new Date()).toISOString(),
      version: '1.0',
      biz_content: JSON.stringify(biz),
      ...extra,
    };
    const params = { ...unsigned, sign: this.#o.signer.sign(canonicalString(unsigned)) };
    let text: string;
    try {
      const res = await fetch(`${this.#o.baseUrl()}/gateway`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(params).toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(this.#o.timeoutMs ?? 10_000),
      });
      text = await res.text();
      if (!res.ok) throw new ChannelError(`the channel answered ${res.status}`);
    } catch (error) {
      if (error instanceof ChannelError) throw error;
      throw new ChannelError(`the channel is unreachable: ${(error as Error).message}`);
    }
    // The signature covers the response's exact JSON text, as it came.
    const m = /^\{"response":(\{.*\}),"sign":"([A-Za-z0-9+/=]+)"\}$/s.exec(text);
    if (!m || !(await this.#o.verifier()).verify(m[1]!, m[2]!))
      throw new ChannelError("the channel's answer is not signed by its key");
    const response = JSON.parse(m[1]!) as Record<string, unknown>;
    const out = Object.fromEntries(Object.entries(response).map(([k, v]) => [k, String(v)]));
    if (out.code !== '10000')
      throw new ChannelError(`the channel refused ${method}: ${out.sub_code ?? out.code}`, out.sub_code);
    return out;
  }

  async createSession(r: SessionRequest) {
    const out = await this.call(
      'trade.create',
      {
        out_trade_no: r.orderId,
        total_amount: fenToYuan(r.amountFen),
        subject: r.subject,
        time_expire: r.expiresAt.toISOString(),
      },
      { notify_url: r.notifyUrl, return_url: r.returnUrl },
    );
    return { sessionId: out.session!, nextUrl: out.cashier_url!, expiresAt: new Date(out.expires_at!) };
  }

  async verifyNotify(form: Readonly<Record<string, string>>): Promise<boolean> {
    const verifier = await this.#o.verifier();
    const sign = form.sign;
    if (form.sign_type !== verifier.type || typeof sign !== 'string' || sign === '') return false;
    return verifier.verify(canonicalString(form, true), sign);
  }

  async query(orderId: string): Promise<ChannelTrade> {
    let out: Record<string, string>;
    try {
      out = await this.call('trade.query', { out_trade_no: orderId });
    } catch (error) {
      if (error instanceof ChannelError && error.subCode === 'ACQ.TRADE_NOT_EXIST') return { state: 'not_found' };
      throw error;
    }
    const amountFen = yuanToFen(out.total_amount ?? '');
    const state =
      out.trade_status === 'TRADE_SUCCESS' ? 'paid' : out.trade_status === 'TRADE_CLOSED' ? 'closed' : 'pending';
    return {
      state,
      ...(out.trade_no ? { tradeNo: out.trade_no } : {}),
      ...(amountFen === undefined ? {} : { amountFen }),
      ...(out.send_pay_date ? { paidAt: new Date(out.send_pay_date) } : {}),
    };
  }

  async refund(r: { orderId: string; refundId: string; amountFen: number; reason: string }) {
    const out = await this.call('trade.refund', {
      out_trade_no: r.orderId,
      out_request_no: r.refundId,
      refund_amount: fenToYuan(r.amountFen),
      refund_reason: r.reason,
    });
    return { refundedTotalFen: yuanToFen(out.refund_fee ?? '') ?? 0 };
  }

  async statement(day: string): Promise<string> {
    let res: Response;
    try {
      res = await fetch(`${this.#o.baseUrl()}/statements/${day}?app_id=${encodeURIComponent(this.appId)}`, {
        signal: AbortSignal.timeout(this.#o.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ChannelError(`the channel is unreachable: ${(error as Error).message}`);
    }
    const body = await res.text();
    if (!res.ok) throw new ChannelError(`the channel's statement answered ${res.status}`);
    const sign = res.headers.get('x-paysim-sign') ?? '';
    if (!(await this.#o.verifier()).verify(body, sign))
      throw new ChannelError("the statement is not signed by the channel's key");
    return body;
  }
}
