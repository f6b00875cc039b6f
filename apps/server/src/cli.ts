// tongban serve | migrate | seed | import | ledger verify — one command for every deployment shape.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  MigrationError,
  VERSION,
  createLogger,
  findSplitWithoutBus,
  loadConfig,
  migrate,
  migrationSources,
  openPlatformDatabase,
  startPlatform,
  type Config,
  type ModuleDefinition,
  type Platform,
} from '@tongban/kernel';
import { positiveInteger, runImport, seedPersons } from './import.ts';
import { ledgerVerify } from './ledger-verify.ts';
import { UsageError, allModules, selectModules } from './modules.ts';
import { startSummary } from './summary.ts';

const HELP = `tongban ${VERSION} — 通办 one-stop government service platform

usage: tongban <command> [options]

commands:
  serve     run the platform (all modules, or --modules=a,b)
  migrate   apply database migrations and exit
  seed      load the demo city into an empty database and exit
            --persons N: also a synthetic city of N persons in the data hub's registries
            (population, birth records, enterprises, real estate), with a progress bar
  import <resource> <file> [--encoding utf-8|gbk] [--format csv|json] [--config rules.json] [--batch-size N]
            import a CSV or JSON file into a data hub resource (e.g. population): checked whole
            first, cleaned, stored in batches; run again to resume an interrupted import;
            prints a progress bar and the report (rows stored, rejected with row and reason)
  ledger verify --url <server> | --database <url> [--log <id>]
                [--log-key ed25519:<base64>] [--witness-key <name>=ed25519:<base64>]…
            recompute a ledger from its entries, check every checkpoint and co-signature
            (against keys you pin, or those the log publishes), and name the first tampered
            position (exit 1), or say it is intact
  version   print the version

options:
  --modules=a,b   modules to run (default: all)
  --seed          serve: seed demo data (always on for the embedded database)
  -h, --help      this text

configuration: TONGBAN_* environment variables (see README.md), optionally a YAML file in TONGBAN_CONFIG`;

/** The web app's build in this checkout (apps/web/dist) unless TONGBAN_WEB_DIR names another. */
const withWebDir = (config: Config): Config => ({
  ...config,
  webDir: config.webDir ?? fileURLToPath(new URL('../../web/dist/', import.meta.url)),
});

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        modules: { type: 'string' },
        seed: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        url: { type: 'string' },
        database: { type: 'string' },
        log: { type: 'string' },
        'log-key': { type: 'string' },
        'witness-key': { type: 'string', multiple: true },
        persons: { type: 'string' },
        encoding: { type: 'string' },
        format: { type: 'string' },
        config: { type: 'string' },
        'batch-size': { type: 'string' },
      },
    });
    const command = positionals[0] ?? 'serve';
    if (values.help || command === 'help') {
      console.log(HELP);
      return 0;
    }
    if (command === 'ledger') {
      if (positionals[1] !== 'verify' || positionals.length > 2)
        throw new UsageError(
          'usage: tongban ledger verify --url <server> | --database <url> [--log <id>] [--log-key …] [--witness-key …]',
        );
      return await ledgerVerify(values);
    }
    if (command === 'import') return await runImport(loadConfig(), positionals.slice(1), values);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    switch (command) {
      case 'version':
        console.log(VERSION);
        return 0;
      case 'serve':
        return await serve(withWebDir(loadConfig()), values.modules, values.seed ?? false);
      case 'migrate':
        return await runMigrate(loadConfig(), values.modules);
      case 'seed':
        return await runSeed(loadConfig(), values.modules, positiveInteger(values.persons, '--persons'));
      default:
        throw new UsageError(`unknown command '${command}' (try: tongban --help)`);
    }
  } catch (error) {
    return fail(error);
  }
}

function fail(error: unknown): number {
  const e = error as Error & { code?: string };
  if (error instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`tongban: ${e.message}`);
    return 2;
  }
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(`tongban: ${e.message}`);
    return 1;
  }
  console.error(`tongban: ${e.message ?? String(error)}`);
  return 1;
}

/**
 * The in-process bus (no TONGBAN_NATS_URL) delivers only inside this process: a subset of the
 * modules would mark events published that the others never receive, and never hear theirs.
 */
function refuseSplitWithoutBus(config: Config, modules: readonly ModuleDefinition[]): void {
  if (config.natsUrl) return;
  const split = findSplitWithoutBus(modules, allModules);
  if (split) throw new ConfigError(split);
}

async function serve(config: Config, moduleList: string | undefined, seed: boolean): Promise<number> {
  const modules = selectModules(moduleList);
  refuseSplitWithoutBus(config, modules);
  const started = performance.now();
  const platform = await startPlatform({ config, modules, seed: seed || !config.databaseUrl });
  const address = await platform.listen();
  // The handlers are in place before the summary says it is ready: whoever reads it may stop us at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      platform.log.info({ signal }, 'shutting down');
      void shutdown(platform).then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log(startSummary(platform, address, Math.round(performance.now() - started)));
  await stopped;
  return 0;
}

async function shutdown(platform: Platform): Promise<void> {
  const timer = setTimeout(() => process.exit(1), 10_000).unref();
  await platform.close();
  clearTimeout(timer);
}

async function runMigrate(config: Config, moduleList: string | undefined): Promise<number> {
  const modules = selectModules(moduleList);
  const database = await openPlatformDatabase(config);
  try {
    const applied = await migrate(database.db, migrationSources(modules));
    console.log(
      applied.length === 0
        ? 'tongban: database is up to date'
        : applied.map((a) => `applied ${a.module}/${a.name}`).join('\n'),
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function runSeed(config: Config, moduleList: string | undefined, persons?: number): Promise<number> {
  const modules = selectModules(moduleList);
  if (persons !== undefined && !modules.some((m) => m.name === 'datahub'))
    throw new UsageError('seed --persons needs the datahub module');
  // A seed runs the modules on the bus like serve, and any event it publishes would be lost the same way.
  refuseSplitWithoutBus(config, modules);
  const platform = await startPlatform({
    config,
    modules,
    seed: true,
    background: false,
    log: createLogger({ logLevel: 'warn' }),
  });
  try {
    await platform.bus.settled();
    console.log('tongban: demo data seeded');
    if (persons !== undefined) await seedPersons(platform.contexts.get('datahub')!, persons);
  } finally {
    await platform.close();
  }
  return 0;
}
