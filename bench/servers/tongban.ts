// The platform as `npm start` runs it (all its plugins, validation and metrics), with the
// modules named on the command line, seeded, rate limiting lifted so the load is not refused.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startPlatform } from '@tongban/kernel';
import { selectModules } from '../../apps/server/src/modules.ts';

const config = loadConfig({
  ...process.env,
  TONGBAN_PORT: '0',
  TONGBAN_LOG_LEVEL: 'warn',
  TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000',
  TONGBAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'tongban-bench-')),
});
const platform = await startPlatform({ config, modules: selectModules(process.argv[2]), seed: true });
await platform.bus.settled();
const url = await platform.listen();
console.log(`listening ${url}`);
process.on('SIGTERM', () => void platform.close().then(() => process.exit(0)));
