// The simulator's books: merchants, trades with their refunds, cashier sessions. In memory, and
// written to `stateFile` after every change when given (the server gives one in its data
// directory), so a platform restarted in a test still finds the trade the channel took.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sm2PrivateKeyFrom } from '@tongban/kernel';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';

export interface Refund {
  outRequestNo: string;
  amountFen: number;
  reason: string;
  at: string;
}

export interface Trade {
  tradeNo: string;
  appId: string;
  outTradeNo: string;
  amountFen: number;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
  status: TradeStatus;
  createdAt: string;
  paidAt: string | null;
  /** The notify of this trade (its id is kept across retries, as Alipay does). */
  notifyId: string | null;
  refunds: Refund[];
}

export interface Session {
  id: string;
  appId: string;
  outTradeNo: string;
  expiresAt: string;
}

export interface Books {
  privateKeyPem: string;
  /** The SM2 private scalar (hex), for `signType: 'SM2'`. */
  sm2PrivateHex: string;
  merchants: Record<string, string>;
  trades: Record<string, Trade>;
  sessions: Record<string, Session>;
}

const tradeKey = (appId: string, outTradeNo: string) => `${appId}\u0000${outTradeNo}`;

export class Ledger {
  readonly books: Books;
  readonly #file: string | undefined;

  constructor(file: string | undefined, privateKeyPem: string | undefined, merchants: Record<string, string>) {
    this.#file = file;
    const loaded = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Books) : undefined;
    this.books = loaded ?? {
      privateKeyPem:
        privateKeyPem ??
        generateKeyPairSync('rsa', { modulusLength: 2048 })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
      sm2PrivateHex: sm2PrivateKeyFrom(randomBytes(32)),
      merchants: {},
      trades: {},
      sessions: {},
    };
    this.books.sm2PrivateHex ??= sm2PrivateKeyFrom(randomBytes(32));
    Object.assign(this.books.merchants, merchants);
    this.save();
  }

  trade(appId: string, outTradeNo: string): Trade | undefined {
    return this.books.trades[tradeKey(appId, outTradeNo)];
  }

  putTrade(trade: Trade): void {
    this.books.trades[tradeKey(trade.appId, trade.outTradeNo)] = trade;
    this.save();
  }

  save(): void {
    if (!this.#file) return;
    mkdirSync(dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.books), { mode: 0o600 });
    renameSync(tmp, this.#file);
  }
}
