// Secrets come from configuration. In development a missing one is generated into the data
// directory with a warning, so `npm start` works on a fresh machine; NODE_ENV=production refuses
// to start with a generated secret or with the embedded database.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './config.ts';

export interface Secrets {
  readonly operatorToken: string;
  /** Names of secrets generated for development. */
  readonly generated: readonly string[];
}

export function assertProductionReady(config: Config): void {
  if (config.env !== 'production') return;
  const missing: string[] = [];
  if (!config.databaseUrl) missing.push('TONGBAN_DATABASE_URL (production does not run on the embedded database)');
  if (!config.operatorToken) missing.push('TONGBAN_OPERATOR_TOKEN (production does not use generated development keys)');
  if (missing.length > 0) throw new ConfigError(`NODE_ENV=production needs ${missing.join('; ')}`);
}

/** Reads or (in development) generates named secrets; see ModuleContext.secret. */
export function namedSecrets(config: Config, env: NodeJS.ProcessEnv, log: Logger): (name: string) => string {
  const cache = new Map<string, string>();
  return (name) => {
    const known = cache.get(name);
    if (known) return known;
    const variable = `TONGBAN_SECRET_${name.toUpperCase().replace(/-/g, '_')}`;
    let value = env[variable];
    if (!value) {
      if (config.env === 'production') throw new ConfigError(`NODE_ENV=production needs ${variable}`);
      value = devSecret(config.dataDir, name, () => randomBytes(32).toString('base64url'), () => undefined);
      log.warn({ secret: name, variable }, 'using a development secret generated into the data directory');
    }
    cache.set(name, value);
    return value;
  };
}

export function loadSecrets(config: Config, log: Logger): Secrets {
  assertProductionReady(config);
  const generated: string[] = [];
  const operatorToken = config.operatorToken ?? devSecret(config.dataDir, 'operator-token', () => randomBytes(32).toString('base64url'), () => generated.push('operator-token'));
  if (generated.length > 0) {
    log.warn({ secrets: generated, dir: join(config.dataDir, 'keys') }, 'using development secrets generated into the data directory; set real ones before production');
  }
  return { operatorToken, generated };
}

function devSecret(dataDir: string, name: string, make: () => string, onGenerated: () => void): string {
  const dir = join(dataDir, 'keys');
  const file = join(dir, name);
  onGenerated();
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}
