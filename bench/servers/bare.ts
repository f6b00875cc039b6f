// The ceiling: a bare Fastify route on this machine, with no validation, database or plugins.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({
  total: 1,
  items: [{ kind: 'matter', code: 'X', version: 1, name: { zh: '出生医学证明', en: 'Birth' } }],
}));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${url}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
