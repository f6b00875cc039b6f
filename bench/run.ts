// npm run bench -- <name>: runs one benchmark (or all) and prints its table.
import { benchCatalog } from './catalog.ts';
import { benchDatahub } from './datahub.ts';
import { benchIdentity } from './identity.ts';
import { benchLedger } from './ledger.ts';
import { benchLicenses } from './licenses.ts';
import { benchNotify } from './notify.ts';
import { benchPayments } from './payments.ts';
import { benchWorkflow } from './workflow.ts';

const BENCHES: Record<string, () => Promise<void>> = {
  catalog: benchCatalog,
  identity: benchIdentity,
  workflow: benchWorkflow,
  ledger: benchLedger,
  datahub: benchDatahub,
  licenses: benchLicenses,
  payments: benchPayments,
  notify: benchNotify,
};

const names = process.argv.slice(2);
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}
for (const name of names.length > 0 ? names : Object.keys(BENCHES)) await BENCHES[name]!();
