// 支付通道模拟器: a payment channel over HTTP, shaped like Alipay's open API, for development and
// tests — the outside party the payments module talks to. A Fastify plugin (mounted at /paysim):
//   GET  /keys                       the channel's public key (PEM), RSA2
//   POST /gateway                    method=trade.create|trade.query|trade.refund, form-urlencoded,
//                                    signed by the merchant (RSA2 over the sorted k=v string)
//   PUT  /merchants/:appId           a merchant registers its public key (first registration only)
//   GET  /cashier/:session           the cashier page; POST …/pay pays, …/cancel goes back
//   GET  /statements/:day            the day's statement file (CSV), signed in `x-paysim-sign`
// A payment sends the asynchronous notify (signed form) to the trade's notify URL, retried until
// it answers `success` (15 s, 3 m, 10 m, 30 m, 1 h, 2 h, 6 h, 15 h: about 25 hours, as Alipay).
// Answers are `{"response":…,"sign":"…"}`, the signature over the response's exact JSON text.
import { createPrivateKey, createPublicKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { cashierPage, langOf, messagePage } from './cashier.ts';
import { sm2PublicKey } from '@tongban/kernel';
import {
  canonical,
  chinaDay,
  fenToYuan,
  rsaSign,
  rsaVerify,
  sm2SignText,
  sm2VerifyText,
  yuanToFen,
} from './signing.ts';
import { Ledger, type Trade } from './state.ts';

export const DEFAULT_RETRY_DELAYS_MS = [
  15_000, 180_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 54_000_000,
];

export interface PaysimOptions {
  /** The channel's private key (PKCS#8 PEM); generated (and kept in `stateFile`) when absent. */
  readonly privateKeyPem?: string;
  /** How the channel signs, and how it expects merchants to: RSA2 (default) or SM2 (国密). */
  readonly signType?: 'RSA2' | 'SM2';
  /** Merchants' public keys (SPKI PEM for RSA2, 04‖x‖y hex for SM2) by app id. */
  readonly merchants?: Record<string, string>;
  /** Whether an unknown app id may register its key once (development; default true). */
  readonly allowRegistration?: boolean;
  /** Test controls (drop, duplicate or hold the next notify; plant statement discrepancies). */
  readonly testControls?: boolean;
  /** Where the books are kept across restarts; memory only when absent. */
  readonly stateFile?: string;
  readonly retryDelaysMs?: readonly number[];
  readonly now?: () => Date;
  /** The simulator's own base URL for the cashier links (default: from the request's host and the mount prefix). */
  readonly baseUrl?: string;
}

export interface NotifyRecord {
  notifyId: string;
  outTradeNo: string;
  url: string;
  attempt: number;
  answer: string;
}

export interface PaysimControls {
  /** The next notify is lost: never sent, never retried (the platform must find the payment by its query). */
  dropNextNotify(): void;
  /** The next notify is sent twice, the same notify id both times. */
  duplicateNextNotify(): void;
  /** The next notify waits; `release()` sends it (a late notify). */
  holdNextNotify(): { release(): Promise<void> };
  /** A statement line the channel's books do not have (a planted discrepancy), on `day`. */
  plantStatementLine(
    day: string,
    line: { tradeNo: string; outTradeNo: string; outRequestNo?: string; type: 'pay' | 'refund'; amountFen: number },
  ): void;
  /** The day's statement shows another amount for a trade. */
  plantAmount(day: string, tradeNo: string, amountFen: number): void;
  /** Pays a trade as the cashier would, without a browser; answers when its first notify was answered. */
  pay(appId: string, outTradeNo: string): Promise<Trade>;
  /** Sends a paid trade's notify again, the same notify id (as the channel's retry schedule would). */
  redeliver(appId: string, outTradeNo: string): Promise<string>;
  /** Signs parameters with the channel's key, as a notify (tests forge around it). */
  signNotify(params: Record<string, string>): Record<string, string>;
  trade(appId: string, outTradeNo: string): Trade | undefined;
  readonly notifies: readonly NotifyRecord[];
  /** Waits for the notifies in flight. */
  settled(): Promise<void>;
}

/** The plugin, its test controls, and the channel's public key (SPKI PEM for RSA2, 04‖x‖y hex for SM2). */
export type PaysimPlugin = FastifyPluginAsync & { readonly controls: PaysimControls; readonly publicKey: string };

interface Rendered {
  response: Record<string, unknown>;
}

export function paysim(options: PaysimOptions = {}): PaysimPlugin {
  const ledger = new Ledger(options.stateFile, options.privateKeyPem, options.merchants ?? {});
  const privateKey = createPrivateKey(ledger.books.privateKeyPem);
  const signType = options.signType ?? 'RSA2';
  const sm2Private = ledger.books.sm2PrivateHex;
  const sm2Public = sm2PublicKey(sm2Private);
  const publicKeyPem =
    signType === 'SM2' ? sm2Public : createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  /** The channel's signature over a text, in its sign type. */
  const sign = (text: string) =>
    signType === 'SM2' ? sm2SignText(text, sm2Private, sm2Public) : rsaSign(text, privateKey);
  const now = options.now ?? (() => new Date());
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const allowRegistration = options.allowRegistration ?? true;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  const notifies: NotifyRecord[] = [];
  const planted: Record<string, { lines: string[]; amounts: Map<string, number> }> = {};
  const next = { drop: false, duplicate: false, hold: undefined as undefined | ((send: () => Promise<void>) => void) };
  const merchantKeys = new Map<string, KeyObject>();
  /** Whether the merchant's registered key signed `text` (in the channel's sign type); undefined: no such merchant. */
  const merchantVerify = (appId: string, text: string, signature: string): boolean | undefined => {
    const key = ledger.books.merchants[appId];
    if (!key) return undefined;
    if (signType === 'SM2') return sm2VerifyText(text, signature, key);
    let rsa = merchantKeys.get(appId);
    if (!rsa) merchantKeys.set(appId, (rsa = createPublicKey(key)));
    return rsaVerify(text, signature, rsa);
  };

  const answer = (reply: FastifyReply, body: Rendered['response']) => {
    const json = JSON.stringify(body);
    return reply.type('application/json; charset=utf-8').send(`{"response":${json},"sign":"${sign(json)}"}`);
  };
  const fail = (code: string, msg: string, subCode?: string) => ({
    code,
    msg,
    ...(subCode ? { sub_code: subCode, sub_msg: subCode } : {}),
  });

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  function notifyForm(trade: Trade): Record<string, string> {
    const params: Record<string, string> = {
      notify_id: trade.notifyId!,
      notify_time: now().toISOString(),
      notify_type: 'trade_status_sync',
      app_id: trade.appId,
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      total_amount: fenToYuan(trade.amountFen),
      trade_status: trade.status,
      gmt_payment: trade.paidAt ?? '',
      charset: 'utf-8',
      version: '1.0',
      sign_type: signType,
    };
    return { ...params, sign: sign(canonical(params, true)) };
  }

  async function sendNotify(trade: Trade, attempt: number): Promise<string> {
    let text: string;
    try {
      const res = await fetch(trade.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(notifyForm(trade)).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      text = (await res.text()).trim();
    } catch (error) {
      text = `error: ${(error as Error).message}`;
    }
    notifies.push({
      notifyId: trade.notifyId!,
      outTradeNo: trade.outTradeNo,
      url: trade.notifyUrl,
      attempt,
      answer: text,
    });
    if (text !== 'success' && attempt < delays.length) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void track(sendNotify(trade, attempt + 1));
      }, delays[attempt]);
      timer.unref();
      timers.add(timer);
    }
    return text;
  }

  /** The first notify of a payment, as the test controls say. */
  function dispatchNotify(trade: Trade): Promise<void> {
    if (next.drop) {
      next.drop = false;
      return Promise.resolve();
    }
    const twice = next.duplicate;
    next.duplicate = false;
    const send = async () => {
      await sendNotify(trade, 0);
      if (twice) await sendNotify(trade, delays.length); // the copy is not retried on its own
    };
    const hold = next.hold;
    if (hold) {
      next.hold = undefined;
      hold(send);
      return Promise.resolve();
    }
    return track(send());
  }

  function payTrade(trade: Trade): Trade {
    if (trade.status === 'TRADE_SUCCESS') return trade;
    const paid: Trade = {
      ...trade,
      status: 'TRADE_SUCCESS',
      paidAt: now().toISOString(),
      notifyId: randomBytes(16).toString('hex'),
    };
    ledger.putTrade(paid);
    return paid;
  }

  function statement(day: string, appId: string | undefined): string {
    const rows = ['trade_no,out_trade_no,out_request_no,type,amount,time'];
    const extra = planted[day];
    for (const t of Object.values(ledger.books.trades)) {
      if (appId !== undefined && t.appId !== appId) continue;
      if (t.paidAt && chinaDay(new Date(t.paidAt)) === day) {
        const amount = extra?.amounts.get(t.tradeNo) ?? t.amountFen;
        rows.push(`${t.tradeNo},${t.outTradeNo},,pay,${fenToYuan(amount)},${t.paidAt}`);
      }
      for (const r of t.refunds)
        if (chinaDay(new Date(r.at)) === day)
          rows.push(`${t.tradeNo},${t.outTradeNo},${r.outRequestNo},refund,${fenToYuan(r.amountFen)},${r.at}`);
    }
    rows.push(...(extra?.lines ?? []));
    return `${rows.join('\n')}\n`;
  }

  const plantedOf = (day: string) => (planted[day] ??= { lines: [], amounts: new Map() });

  const controls: PaysimControls = {
    dropNextNotify: () => void (next.drop = true),
    duplicateNextNotify: () => void (next.duplicate = true),
    holdNextNotify() {
      let send: (() => Promise<void>) | undefined;
      next.hold = (s) => (send = s);
      return { release: async () => void (await (send ? track(send()) : undefined)) };
    },
    plantStatementLine(day, l) {
      plantedOf(day).lines.push(
        `${l.tradeNo},${l.outTradeNo},${l.outRequestNo ?? ''},${l.type},${fenToYuan(l.amountFen)},${now().toISOString()}`,
      );
    },
    plantAmount: (day, tradeNo, amountFen) => void plantedOf(day).amounts.set(tradeNo, amountFen),
    async pay(appId, outTradeNo) {
      const trade = ledger.trade(appId, outTradeNo);
      if (!trade) throw new Error(`no trade ${outTradeNo}`);
      if (trade.status === 'TRADE_SUCCESS') return trade;
      const paid = payTrade(trade);
      await dispatchNotify(paid);
      return paid;
    },
    async redeliver(appId, outTradeNo) {
      const trade = ledger.trade(appId, outTradeNo);
      if (!trade?.notifyId) throw new Error(`no paid trade ${outTradeNo}`);
      return track(sendNotify(trade, delays.length));
    },
    signNotify(params) {
      return { ...params, sign: sign(canonical(params, true)) };
    },
    trade: (appId, outTradeNo) => ledger.trade(appId, outTradeNo),
    notifies,
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };

  const plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    const pub = { policy: { public: true } } as const;
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.addHook('onClose', async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await controls.settled();
    });
    const base = (req: FastifyRequest) => options.baseUrl ?? `${req.protocol}://${req.host}${app.prefix}`;

    app.get('/keys', { config: pub, schema: { hide: true } }, async () => ({ alg: signType, publicKey: publicKeyPem }));

    app.put('/merchants/:appId', { config: pub, schema: { hide: true } }, async (req, reply) => {
      const { appId } = req.params as { appId: string };
      const body = req.body as { alg?: unknown; publicKey?: unknown } | undefined;
      const given = typeof body?.publicKey === 'string' ? body.publicKey : '';
      if ((body?.alg ?? 'RSA2') !== signType) return reply.code(400).send({ code: 'unsupported_alg' });
      let normal: string;
      try {
        if (signType === 'SM2') {
          if (!/^04[0-9a-fA-F]{128}$/.test(given)) throw new Error('not an SM2 point');
          normal = given.toLowerCase();
        } else normal = createPublicKey(given).export({ type: 'spki', format: 'pem' }).toString();
      } catch {
        return reply.code(400).send({ code: 'invalid_key' });
      }
      const known = ledger.books.merchants[appId];
      if (known === normal) return reply.code(200).send({ appId });
      if (known !== undefined || !allowRegistration) return reply.code(409).send({ code: 'already_registered' });
      ledger.books.merchants[appId] = normal;
      ledger.save();
      return reply.code(201).send({ appId });
    });

    app.post('/gateway', { config: pub, schema: { hide: true } }, async (req, reply) => {
      const form = (req.body ?? {}) as Record<string, string>;
      const method = form.method ?? '';
      const verified = merchantVerify(form.app_id ?? '', canonical(form), form.sign ?? '');
      if (verified === undefined) return answer(reply, fail('40002', 'Invalid Arguments', 'isv.invalid-app-id'));
      if (form.sign_type !== signType || !form.sign || !verified)
        return answer(reply, fail('40002', 'Invalid Arguments', 'isv.invalid-signature'));
      let biz: Record<string, unknown>;
      try {
        biz = JSON.parse(form.biz_content ?? '') as Record<string, unknown>;
      } catch {
        return answer(reply, fail('40002', 'Invalid Arguments', 'isv.invalid-biz-content'));
      }
      const outTradeNo = String(biz.out_trade_no ?? '');
      const appId = form.app_id!;
      if (method === 'trade.create') {
        const amountFen = yuanToFen(String(biz.total_amount ?? ''));
        if (!outTradeNo || amountFen === undefined || amountFen <= 0 || !form.notify_url || !form.return_url)
          return answer(reply, fail('40002', 'Invalid Arguments', 'isv.missing-parameter'));
        let trade = ledger.trade(appId, outTradeNo);
        if (trade && trade.amountFen !== amountFen)
          return answer(reply, fail('40004', 'Business Failed', 'ACQ.CONTEXT_INCONSISTENT'));
        if (trade?.status === 'TRADE_SUCCESS')
          return answer(reply, fail('40004', 'Business Failed', 'ACQ.TRADE_HAS_SUCCESS'));
        trade ??= {
          tradeNo: `${chinaDay(now()).replace(/-/g, '')}${randomBytes(8).toString('hex')}`,
          appId,
          outTradeNo,
          amountFen,
          subject: String(biz.subject ?? '').slice(0, 128),
          notifyUrl: form.notify_url,
          returnUrl: form.return_url,
          status: 'WAIT_BUYER_PAY',
          createdAt: now().toISOString(),
          paidAt: null,
          notifyId: null,
          refunds: [],
        };
        trade = { ...trade, notifyUrl: form.notify_url, returnUrl: form.return_url };
        ledger.putTrade(trade);
        const expire = new Date(String(biz.time_expire ?? ''));
        const expiresAt = Number.isNaN(expire.getTime()) ? new Date(now().getTime() + 90 * 60_000) : expire;
        const session = { id: randomUUID(), appId, outTradeNo, expiresAt: expiresAt.toISOString() };
        ledger.books.sessions[session.id] = session;
        ledger.save();
        return answer(reply, {
          code: '10000',
          msg: 'Success',
          trade_no: trade.tradeNo,
          out_trade_no: outTradeNo,
          session: session.id,
          cashier_url: `${base(req)}/cashier/${session.id}`,
          expires_at: session.expiresAt,
        });
      }
      const trade = ledger.trade(appId, outTradeNo);
      if (method === 'trade.query') {
        if (!trade) return answer(reply, fail('40004', 'Business Failed', 'ACQ.TRADE_NOT_EXIST'));
        return answer(reply, {
          code: '10000',
          msg: 'Success',
          trade_no: trade.tradeNo,
          out_trade_no: trade.outTradeNo,
          trade_status: trade.status,
          total_amount: fenToYuan(trade.amountFen),
          send_pay_date: trade.paidAt ?? '',
          refunded_amount: fenToYuan(trade.refunds.reduce((s, r) => s + r.amountFen, 0)),
        });
      }
      if (method === 'trade.refund') {
        if (!trade) return answer(reply, fail('40004', 'Business Failed', 'ACQ.TRADE_NOT_EXIST'));
        if (trade.status !== 'TRADE_SUCCESS')
          return answer(reply, fail('40004', 'Business Failed', 'ACQ.TRADE_STATUS_ERROR'));
        const outRequestNo = String(biz.out_request_no ?? '');
        const amountFen = yuanToFen(String(biz.refund_amount ?? ''));
        if (!outRequestNo || amountFen === undefined || amountFen <= 0)
          return answer(reply, fail('40002', 'Invalid Arguments', 'isv.missing-parameter'));
        const done = trade.refunds.find((r) => r.outRequestNo === outRequestNo);
        const total = (t: Trade) => t.refunds.reduce((s, r) => s + r.amountFen, 0);
        if (done) {
          // The same request again (a retry): the refund it made, nothing more (Alipay: out_request_no is the key).
          if (done.amountFen !== amountFen)
            return answer(reply, fail('40004', 'Business Failed', 'ACQ.REQUEST_AMOUNT_EXCEED'));
          return answer(reply, {
            code: '10000',
            msg: 'Success',
            trade_no: trade.tradeNo,
            out_trade_no: trade.outTradeNo,
            out_request_no: outRequestNo,
            refund_fee: fenToYuan(total(trade)),
            fund_change: 'N',
          });
        }
        if (total(trade) + amountFen > trade.amountFen)
          return answer(reply, fail('40004', 'Business Failed', 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL'));
        const refunded: Trade = {
          ...trade,
          refunds: [
            ...trade.refunds,
            { outRequestNo, amountFen, reason: String(biz.refund_reason ?? ''), at: now().toISOString() },
          ],
        };
        ledger.putTrade(refunded);
        return answer(reply, {
          code: '10000',
          msg: 'Success',
          trade_no: trade.tradeNo,
          out_trade_no: trade.outTradeNo,
          out_request_no: outRequestNo,
          refund_fee: fenToYuan(total(refunded)),
          fund_change: 'Y',
        });
      }
      return answer(reply, fail('40002', 'Invalid Arguments', 'isv.invalid-method'));
    });

    const sessionOf = (req: FastifyRequest) => {
      const session = ledger.books.sessions[(req.params as { session: string }).session];
      return { session, trade: session && ledger.trade(session.appId, session.outTradeNo) };
    };
    const html = (reply: FastifyReply, status: number, body: string) =>
      reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

    app.get('/cashier/:session', { config: pub, schema: { hide: true } }, async (req, reply) => {
      const { session, trade } = sessionOf(req);
      return html(
        reply,
        session ? 200 : 404,
        cashierPage(langOf(req.query, req.headers['accept-language']), session, trade, now()),
      );
    });

    app.post('/cashier/:session/pay', { config: pub, schema: { hide: true } }, async (req, reply) => {
      const lang = langOf(req.query, req.headers['accept-language']);
      const { session, trade } = sessionOf(req);
      if (!session || !trade) return html(reply, 404, messagePage(lang, 'notFound'));
      if (trade.status !== 'TRADE_SUCCESS') {
        if (new Date(session.expiresAt) <= now()) return html(reply, 410, messagePage(lang, 'expired'));
        // The notify goes out on its own (asynchronous, as a real channel's): the browser is sent back at once.
        void dispatchNotify(payTrade(trade));
      }
      return reply.code(303).header('location', trade.returnUrl).send();
    });

    app.post('/cashier/:session/cancel', { config: pub, schema: { hide: true } }, async (req, reply) => {
      const { session, trade } = sessionOf(req);
      if (!session || !trade)
        return html(reply, 404, messagePage(langOf(req.query, req.headers['accept-language']), 'notFound'));
      return reply.code(303).header('location', trade.returnUrl).send();
    });

    app.get('/statements/:day', { config: pub, schema: { hide: true } }, async (req, reply) => {
      const { day } = req.params as { day: string };
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return reply.code(400).send({ code: 'invalid_day' });
      const appId = (req.query as { app_id?: string }).app_id;
      const body = statement(day, appId);
      return reply
        .type('text/csv; charset=utf-8')
        .header('x-paysim-sign', sign(body))
        .header('x-paysim-sign-type', signType)
        .send(body);
    });
  };
  if (!options.testControls) {
    const refuse = () => {
      throw new Error('paysim: test controls are off (construct with testControls: true)');
    };
    const off = new Proxy({} as PaysimControls, { get: refuse });
    return Object.assign(plugin, { controls: off, publicKey: publicKeyPem });
  }
  return Object.assign(plugin, { controls, publicKey: publicKeyPem });
}
