// `tongban ledger verify`: checks a ledger from outside the server that keeps it — from its public
// API (--url) or its database (--database, read in one snapshot) — and prints one line per log:
// intact with its size and root, or the first tampered position. Exit 0 when every log is intact,
// 1 otherwise. Keys the verifier already trusts are pinned with --log-key and --witness-key
// (then a log signed with another key, or not co-signed by a pinned witness, is not intact).
import { openDatabase } from '@tongban/kernel';
import {
  databaseSource,
  describeVerdict,
  httpSource,
  verifyLog,
  type LogSource,
  type PublicKey,
} from '@tongban/ledger';
import { UsageError } from './modules.ts';

export interface LedgerVerifyOptions {
  readonly url?: string;
  readonly database?: string;
  readonly log?: string;
  /** `ed25519:<base64>` or `sm2:<hex point>[:<signer id>]`. */
  readonly 'log-key'?: string;
  /** `<name>=<key as for --log-key>`, repeatable. */
  readonly 'witness-key'?: readonly string[];
}

function parseKey(text: string, flag: string): PublicKey {
  const [algorithm, key, signerId] = text.split(':');
  if ((algorithm !== 'ed25519' && algorithm !== 'sm2') || !key)
    throw new UsageError(`${flag} takes ed25519:<base64> or sm2:<hex>[:<signer id>]`);
  return { algorithm, key, ...(signerId ? { signerId } : {}) };
}

export async function ledgerVerify(
  options: LedgerVerifyOptions,
  out: (line: string) => void = console.log,
): Promise<number> {
  if (Boolean(options.url) === Boolean(options.database))
    throw new UsageError('ledger verify needs exactly one of --url <server> or --database <postgres url>');
  const logKey = options['log-key'] ? parseKey(options['log-key'], '--log-key') : undefined;
  const witnessKeys = options['witness-key']?.length
    ? new Map(
        options['witness-key'].map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new UsageError('--witness-key takes <name>=<key>');
          return [pair.slice(0, at), parseKey(pair.slice(at + 1), '--witness-key')] as const;
        }),
      )
    : undefined;
  const run = async (source: LogSource) => {
    const logs = (await source.logs()).filter((l) => !options.log || l.id === options.log);
    if (logs.length === 0)
      throw new UsageError(options.log ? `no ledger log '${options.log}'` : 'no ledger logs found');
    let intact = true;
    for (const log of logs) {
      const verdict = await verifyLog(source, log, {
        ...(logKey ? { logKey } : {}),
        ...(witnessKeys ? { witnessKeys } : {}),
      });
      out(describeVerdict(verdict));
      intact &&= verdict.intact;
    }
    return intact ? 0 : 1;
  };
  if (options.url) return run(httpSource(options.url));
  if (!/^postgres(ql)?:\/\//.test(options.database!)) throw new UsageError('--database takes a postgres:// URL');
  const database = await openDatabase({ url: options.database, poolSize: 2 });
  try {
    // One snapshot: a log that grows while it is read is not mistaken for one with rows inserted.
    return await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) => run(databaseSource(trx)));
  } finally {
    await database.close();
  }
}
