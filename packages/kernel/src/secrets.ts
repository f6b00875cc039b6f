// Secrets come from configuration. In development a missing one is generated into the data
// directory with a warning, so `npm start` works on a fresh machine; NODE_ENV=production refuses
// to start with a generated secret, a missing declared one, or with the embedded database.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './config.ts';
import { tokenWeakness } from './token-strength.ts';

export interface Secrets {
  readonly operatorToken: string;
  /** Names of secrets generated for development. */
  readonly generated: readonly string[];
}

/** TONGBAN_SECRET_<NAME>: upper case, dashes as underscores. */
export function secretVariable(name: string): string {
  return `TONGBAN_SECRET_${name.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * Production refuses development shortcuts, all at once in one line: the embedded database, a
 * generated operator token, a missing or plain-http public URL (cookies, token issuer,
 * redirects), a guessable operator token, and any secret a module declares that is not set.
 */
export function assertProductionReady(
  config: Config,
  requiredSecrets: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (config.env !== 'production') return;
  const missing: string[] = [];
  if (!config.databaseUrl) missing.push('TONGBAN_DATABASE_URL (production does not run on the embedded database)');
  if (!config.operatorToken)
    missing.push('TONGBAN_OPERATOR_TOKEN (production does not use generated development keys)');
  if (!config.publicUrl) missing.push('TONGBAN_PUBLIC_URL (the https:// address people and relying parties reach)');
  const secrets = [...new Set(requiredSecrets.map(secretVariable))].filter((variable) => !env[variable]);
  if (secrets.length > 0) missing.push(`${secrets.join(', ')} (secrets the modules declare)`);
  const refused: string[] = [];
  if (config.publicUrl && !config.publicUrl.startsWith('https://'))
    refused.push('TONGBAN_PUBLIC_URL over http:// (tokens, cookies and redirects need https://)');
  const weakness = config.operatorToken ? tokenWeakness(config.operatorToken) : undefined;
  if (weakness) refused.push(`a weak TONGBAN_OPERATOR_TOKEN: ${weakness}`);
  const parts = [
    ...(missing.length > 0 ? [`needs ${missing.join('; ')}`] : []),
    ...(refused.length > 0 ? [`refuses ${refused.join('; ')}`] : []),
  ];
  if (parts.length > 0) throw new ConfigError(`NODE_ENV=production ${parts.join(' — and ')}`);
}

/**
 * Reads or (outside production) generates named secrets; see ModuleContext.secret. With
 * `declared`, outside production a name not declared is refused: a secret read lazily (on the
 * first request) would pass the start check and fail in production at that request.
 */
export function namedSecrets(
  config: Config,
  env: NodeJS.ProcessEnv,
  log: Logger,
): (name: string, declared?: ReadonlySet<string>, module?: string) => string {
  const cache = new Map<string, string>();
  return (name, declared, module) => {
    if (declared && !declared.has(name) && config.env !== 'production') {
      throw new Error(
        `module ${module ?? '?'} reads the secret ${name} without declaring it: add it to the module's secrets`,
      );
    }
    const known = cache.get(name);
    if (known) return known;
    const variable = secretVariable(name);
    let value = env[variable];
    if (!value) {
      if (config.env === 'production') throw new ConfigError(`NODE_ENV=production needs ${variable}`);
      value = devSecret(
        config.dataDir,
        name,
        () => randomBytes(32).toString('base64url'),
        () => undefined,
      );
      log.warn({ secret: name, variable }, 'using a development secret generated into the data directory');
    }
    cache.set(name, value);
    return value;
  };
}

export function loadSecrets(
  config: Config,
  log: Logger,
  requiredSecrets: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Secrets {
  assertProductionReady(config, requiredSecrets, env);
  const generated: string[] = [];
  const operatorToken =
    config.operatorToken ??
    devSecret(
      config.dataDir,
      'operator-token',
      () => randomBytes(32).toString('base64url'),
      () => generated.push('operator-token'),
    );
  if (generated.length > 0) {
    log.warn(
      { secrets: generated, dir: join(config.dataDir, 'keys') },
      'using development secrets generated into the data directory; set real ones before production',
    );
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
