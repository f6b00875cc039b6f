// `tongban ledger verify`: checks a ledger from outside the server that keeps it — from its public
// API (--url) or its database (--database) — and prints one line per log: intact with its size and
// root, or the first tampered position. Exit 0 when every log is intact, 1 otherwise.
import { openDatabase } from '@tongban/kernel';
import { databaseSource, describeVerdict, httpSource, verifyLog, type LogSource } from '@tongban/ledger';
import { UsageError } from './modules.ts';

export async function ledgerVerify(options: { url?: string; database?: string; log?: string }, out: (line: string) => void = console.log): Promise<number> {
  if (Boolean(options.url) === Boolean(options.database)) throw new UsageError('ledger verify needs exactly one of --url <server> or --database <postgres url>');
  let source: LogSource;
  let close = async () => {};
  if (options.url) {
    source = httpSource(options.url);
  } else {
    if (!/^postgres(ql)?:\/\//.test(options.database!)) throw new UsageError('--database takes a postgres:// URL');
    const database = await openDatabase({ url: options.database, poolSize: 2 });
    source = databaseSource(database.db);
    close = () => database.close();
  }
  try {
    const logs = (await source.logs()).filter((l) => !options.log || l.id === options.log);
    if (logs.length === 0) throw new UsageError(options.log ? `no ledger log '${options.log}'` : 'no ledger logs found');
    let intact = true;
    for (const log of logs) {
      const verdict = await verifyLog(source, log);
      out(describeVerdict(verdict));
      intact &&= verdict.intact;
    }
    return intact ? 0 : 1;
  } finally {
    await close();
  }
}
