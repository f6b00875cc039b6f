// The platform with the modules a licence needs (catalog, identity, workflow, licenses) as the
// licence tests run it, rate limiting lifted, with one 出生医学证明 issued the way the platform issues
// it (a citizen applies, 卫健委 accepts, reviews and approves, the issuer takes the approval).
// Before `listening <url>` it prints `code <TB1:…>`: that licence's scan code, for the verifier load.
import catalog from '@tongban/catalog';
import identity from '@tongban/identity';
import licenses from '@tongban/licenses';
import workflow from '@tongban/workflow';
import { approveBirthCertificate, startWorkflow } from '../../apps/server/test/workflow/fixtures.ts';

const h = await startWorkflow({
  modules: [catalog, identity, workflow, licenses],
  identity: true,
  env: { TONGBAN_PORT: '0', TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: '1000000000', TONGBAN_LOG_LEVEL: 'warn' },
});
await approveBirthCertificate(h, 'bench-mother');
const issuer = h.p.instanceOf(licenses);
await issuer.kick();
const mine = await h.call('GET', '/api/licenses/me', await h.citizen('bench-mother'));
const id = (mine.body as { licences: { id: string }[] }).licences[0]?.id;
if (!id) throw new Error(`no licence was issued: ${JSON.stringify(mine.body)}`);
const shown = await h.call('GET', `/api/licenses/${id}/scan-code`, await h.citizen('bench-mother'));
console.log(`code ${(shown.body as { code: string }).code}`);
const url = await h.p.listen();
console.log(`listening ${url}`);
process.on('SIGTERM', () => void h.p.dispose().then(() => process.exit(0)));
