// Calls between modules: the same ctx.modules.request answers alike whether the callee runs in
// this process or in another one, problems keep their codes on the way back, and an
// unreachable callee is a 502 UPSTREAM_UNAVAILABLE, never a hang or a 500.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import Type from 'typebox';
import { DomainError, Policies, defineErrors, defineModule } from '../src/index.ts';
import { databaseLabel, startTestPlatform, type TestPlatform } from '../src/testing.ts';

const ArchiveErrors = defineErrors({
  ARCHIVE_RECORD_NOT_FOUND: { status: 404, zh: '档案 {id} 不存在', en: 'Record {id} does not exist' },
});

interface Record {
  id: string;
  title: string;
}

/** Module B: an archive answering records, and recording each request that reached it. */
function archiveModule(served: string[]) {
  return defineModule({
    name: 'archive',
    title: { zh: '档案', en: 'Archive' },
    errors: ArchiveErrors,
    routes(app) {
      app.get(
        '/records/:id',
        {
          config: { policy: Policies.public },
          schema: { params: Type.Object({ id: Type.String() }) },
        },
        async (req): Promise<Record> => {
          served.push(req.params.id);
          if (req.params.id !== 'R1') throw new DomainError('ARCHIVE_RECORD_NOT_FOUND', { id: req.params.id });
          return { id: 'R1', title: '出生医学证明' };
        },
      );
    },
  });
}

/** Module A: a front desk that looks records up in the archive through the kernel's client. */
const frontDesk = defineModule({
  name: 'desk',
  title: { zh: '前台', en: 'Front desk' },
  dependsOn: ['archive'],
  routes(app, ctx) {
    app.get(
      '/lookup/:id',
      {
        config: { policy: Policies.public },
        schema: { params: Type.Object({ id: Type.String() }) },
      },
      async (req) => {
        const record = await ctx.modules.request<Record>('archive', {
          path: `/records/${encodeURIComponent(req.params.id)}`,
        });
        return { record, where: ctx.modules.locate('archive') };
      },
    );
  },
});

const lookup = (desk: TestPlatform, id: string) =>
  desk.app.inject({ url: `/api/desk/lookup/${id}`, headers: { 'accept-language': 'en' } });

function problemOf(res: LightMyRequestResponse) {
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  return res.json() as { code: string; status: number; title: string; instance: string };
}

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(`module client, both modules in one process (${databaseLabel})`, () => {
  test('a call to a module in the same process is answered in-process', async () => {
    const served: string[] = [];
    const p = await startTestPlatform([frontDesk, archiveModule(served)]);
    try {
      const res = await lookup(p, 'R1');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { record: { id: 'R1', title: '出生医学证明' }, where: 'local' });
      assert.deepEqual(served, ['R1']);
    } finally {
      await p.dispose();
    }
  });

  test("the callee's problem comes back through the caller with the same status and code", async () => {
    const p = await startTestPlatform([frontDesk, archiveModule([])]);
    try {
      const res = await lookup(p, 'R404');
      assert.equal(res.statusCode, 404);
      const problem = problemOf(res);
      assert.equal(problem.code, 'ARCHIVE_RECORD_NOT_FOUND');
      assert.equal(problem.instance, '/api/desk/lookup/R404', "the problem is reported at the caller's URL");
    } finally {
      await p.dispose();
    }
  });
});

describe(`module client, modules in separate processes (${databaseLabel})`, () => {
  /** Starts the archive listening on a port, and the desk pointed at it by TONGBAN_SERVICE_ARCHIVE_URL. */
  async function split(
    served: string[],
  ): Promise<{ desk: TestPlatform; archive: TestPlatform; close(): Promise<void> }> {
    const archive = await startTestPlatform([archiveModule(served)], {
      env: { TONGBAN_PORT: '0', TONGBAN_HOST: '127.0.0.1' },
    });
    try {
      const url = await archive.listen();
      const desk = await startTestPlatform([frontDesk], { env: { TONGBAN_SERVICE_ARCHIVE_URL: url } });
      return {
        desk,
        archive,
        close: async () => {
          await desk.dispose();
          await archive.dispose();
        },
      };
    } catch (error) {
      await archive.dispose();
      throw error;
    }
  }

  test('a call to a module running elsewhere goes over HTTP to TONGBAN_SERVICE_<MODULE>_URL', async () => {
    const served: string[] = [];
    const { desk, close } = await split(served);
    try {
      assert.equal(desk.contexts.has('archive'), false, 'the archive does not run in the desk platform');
      const res = await lookup(desk, 'R1');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { record: { id: 'R1', title: '出生医学证明' }, where: 'remote' });
      assert.deepEqual(served, ['R1'], 'the archive platform served the request');
    } finally {
      await close();
    }
  });

  test('a problem answered over HTTP comes back through the caller with the same status and code', async () => {
    const { desk, close } = await split([]);
    try {
      const res = await lookup(desk, 'R404');
      assert.equal(res.statusCode, 404);
      const problem = problemOf(res);
      assert.equal(problem.code, 'ARCHIVE_RECORD_NOT_FOUND');
      assert.equal(problem.instance, '/api/desk/lookup/R404');
    } finally {
      await close();
    }
  });

  test('an unreachable module is a 502 UPSTREAM_UNAVAILABLE naming it', async () => {
    const desk = await startTestPlatform([frontDesk], {
      env: { TONGBAN_SERVICE_ARCHIVE_URL: `http://127.0.0.1:${await closedPort()}` },
    });
    try {
      const res = await lookup(desk, 'R1');
      assert.equal(res.statusCode, 502);
      const problem = problemOf(res);
      assert.equal(problem.code, 'UPSTREAM_UNAVAILABLE');
      assert.match(problem.title, /archive/);
    } finally {
      await desk.dispose();
    }
  });

  test('a module neither local nor configured is a 502 UPSTREAM_UNAVAILABLE', async () => {
    const desk = await startTestPlatform([frontDesk]);
    try {
      const res = await lookup(desk, 'R1');
      assert.equal(res.statusCode, 502);
      assert.equal(problemOf(res).code, 'UPSTREAM_UNAVAILABLE');
    } finally {
      await desk.dispose();
    }
  });

  test('a proxy in front of the module answering an HTML error page is a 502 UPSTREAM_UNAVAILABLE', async () => {
    const proxy: Server = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    const desk = await startTestPlatform([frontDesk], {
      env: { TONGBAN_SERVICE_ARCHIVE_URL: `http://127.0.0.1:${port}` },
    });
    try {
      const res = await lookup(desk, 'R1');
      assert.equal(res.statusCode, 502);
      assert.equal(problemOf(res).code, 'UPSTREAM_UNAVAILABLE');
    } finally {
      await desk.dispose();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe(`typed calls against a contract (${databaseLabel})`, () => {
  const RecordView = Type.Object({ id: Type.String(), title: Type.String({ minLength: 1 }) });
  const ArchiveApi = {
    record: {
      module: 'archive',
      method: 'GET',
      path: (id: string) => `/records/${encodeURIComponent(id)}`,
      response: RecordView,
    },
  } as const;
  /** An archive that answers a record with the title missing: a callee drifting from its contract. */
  const drifted = defineModule({
    name: 'archive',
    title: { zh: '档案', en: 'Archive' },
    routes(app) {
      app.get('/records/:id', { config: { policy: Policies.public } }, async () => ({
        id: 'R1',
        name: '出生医学证明',
      }));
    },
  });
  const caller = defineModule({
    name: 'desk',
    title: { zh: '前台', en: 'Front desk' },
    dependsOn: ['archive'],
    routes(app, ctx) {
      app.get('/typed/:id', { config: { policy: Policies.public } }, async (req) => {
        const record = await ctx.modules.call(ArchiveApi.record, [(req.params as { id: string }).id]);
        return { title: record.title };
      });
    },
  });

  test('an answer the contract allows is returned typed', async () => {
    const p = await startTestPlatform([caller, archiveModule([])]);
    try {
      const res = await p.app.inject('/api/desk/typed/R1');
      assert.deepEqual(res.json(), { title: '出生医学证明' });
    } finally {
      await p.dispose();
    }
  });

  test('an answer the contract does not allow is 502 UPSTREAM_CONTRACT_BROKEN naming the module, the path and where it differs', async () => {
    const p = await startTestPlatform([caller, drifted]);
    try {
      const res = await p.app.inject({ url: '/api/desk/typed/R1', headers: { 'accept-language': 'en' } });
      assert.equal(res.statusCode, 502);
      const problem = problemOf(res) as ReturnType<typeof problemOf> & { problems: string[] };
      assert.equal(problem.code, 'UPSTREAM_CONTRACT_BROKEN');
      assert.match(problem.title, /archive answered \/records\/R1 with a shape its contract does not allow/);
      assert.deepEqual(problem.problems, ['/: must have required properties title']);
    } finally {
      await p.dispose();
    }
  });
});
