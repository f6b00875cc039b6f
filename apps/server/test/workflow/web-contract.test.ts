// The workflow's answers are the contracts' schemas (packages/contracts/src/workflow.ts), which the
// web app reads as types: every route of the workflow answers with one (as the OpenAPI document
// shows it) or, by a decision written here, with no JSON; every workflow URL the web app calls is
// one of those routes; and what the routes answer in a case's life validates against them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ApplicationListView,
  ApprovedTaskAnswersView,
  PaymentFactsView,
  ApplicationSummaryView,
  ApplicationView,
  CounterView,
  DocumentListView,
  DocumentView,
  MatterDurationView,
  NoticeListView,
  OfficerTaskView,
  QueueView,
  RegisterQueryView,
  RegisterRevealView,
  RevealedAnswerView,
  TaskView,
  TimelineView,
  WorkflowStatsView,
} from '@tongban/contracts';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { act, M, startWorkflow, submitBirthCertificate, type Harness } from './fixtures.ts';
import { withNotify } from '../notify/inbox.ts';

/**
 * Each route under /api/workflow, by method and OpenAPI path: the contract schema of each 2xx
 * answer, or null for a route that answers no JSON (204, a file's bytes, an event stream).
 */
const ROUTES: Readonly<Record<string, Readonly<Record<number, TSchema>> | null>> = {
  'POST /drafts': { 201: ApplicationView },
  'POST /drafts/{id}/prefill': { 200: ApplicationView },
  'PUT /drafts/{id}': { 200: ApplicationView },
  'DELETE /drafts/{id}': null,
  'POST /applications': { 200: ApplicationView, 201: ApplicationView },
  'GET /applications': { 200: ApplicationListView },
  'GET /applications/{id}': { 200: ApplicationView },
  'GET /applications/{id}/timeline': { 200: TimelineView },
  'POST /applications/{id}/withdraw': { 200: ApplicationView },
  'POST /applications/{id}/tasks/{taskId}/correction': { 200: TaskView },
  'POST /applications/{id}/tasks/{taskId}/materials': { 200: TaskView },
  'GET /queue': { 200: QueueView },
  'GET /tasks/{id}': { 200: OfficerTaskView },
  'POST /tasks/{id}/answers/reveal': { 200: RevealedAnswerView },
  'POST /tasks/{id}/register/query': { 200: RegisterQueryView },
  'POST /tasks/{id}/register/reveal': { 200: RegisterRevealView },
  'POST /tasks/{id}/actions': { 200: TaskView },
  'POST /tasks/{id}/claim': { 200: TaskView },
  'POST /tasks/{id}/assign': { 200: TaskView },
  'POST /counter/applications': { 200: CounterView, 201: CounterView },
  'GET /me/events': null,
  'POST /documents': { 201: DocumentView },
  'GET /documents': { 200: DocumentListView },
  'GET /documents/{id}': null,
  'DELETE /documents/{id}': null,
  'GET /stats': { 200: WorkflowStatsView },
  'GET /stats/matters/{code}': { 200: MatterDurationView },
  // licences' issuer (a service role), not the web app
  'GET /tasks/{id}/answers': { 200: ApprovedTaskAnswersView },
  // payments' assessment (a service role), not the web app
  'GET /services/tasks/{id}/payment-facts': { 200: PaymentFactsView },
};

/**
 * A JSON Schema as @fastify/swagger writes it into OpenAPI 3.1: a record's `patternProperties`
 * `^.*$` as `additionalProperties`, a `const` as a one-value `enum`. Applied to both sides.
 */
function openApiForm(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApiForm);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    const pattern = key === 'patternProperties' ? (value as Record<string, unknown>) : undefined;
    if (pattern && Object.keys(pattern).length === 1 && '^.*$' in pattern)
      out['additionalProperties'] = openApiForm(pattern['^.*$']);
    else if (key === 'const') out['enum'] = [value];
    else out[key] = openApiForm(value);
  }
  return out;
}
/** The schema as JSON (TypeBox's symbol keys dropped), in the OpenAPI form. */
const asJson = (schema: TSchema) => openApiForm(JSON.parse(JSON.stringify(schema)));

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** The 2xx answers of each /api/workflow route in the OpenAPI document: their JSON schema, or undefined. */
function documentedAnswers(doc: { paths: Record<string, Record<string, Operation>> }) {
  const found = new Map<string, Map<number, unknown>>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/workflow/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const answers = new Map<number, unknown>();
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const schema = response.content?.['application/json']?.schema;
        if (Number(status) >= 200 && Number(status) < 300 && schema !== undefined) answers.set(Number(status), schema);
      }
      found.set(`${method.toUpperCase()} ${path.slice('/api/workflow'.length)}`, answers);
    }
  }
  return found;
}

const WEB_SOURCES = new URL('../../../web/src/', import.meta.url);

function webSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return webSources(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** The workflow paths a source names in string or template literals, each `${…}` as `{}`, without a query. */
export function workflowUrlsIn(text: string): string[] {
  return [...text.matchAll(/[`'"](?:\/portal\/api\/)?workflow(\/[^`'"?\s]*)/g)].map((m) =>
    m[1]!.replace(/\$\{[^}]*\}/g, '{}'),
  );
}

const template = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

test('the scanner reads the paths of string and template literals, not of comments', () => {
  assert.deepEqual(
    workflowUrlsIn(
      "api(`workflow/applications/${app.id}/tasks/${taskId}/correction`); useFresh('workflow/me/notices?limit=50');" +
        " const u = '/portal/api/workflow/documents'; // modules/workflow/src/api/schemas.ts",
    ),
    ['/applications/{}/tasks/{}/correction', '/me/notices', '/documents'],
  );
});

test('the comparison tells a contract from another, in the form the OpenAPI document writes', () => {
  assert.notDeepEqual(asJson(ApplicationView), asJson(ApplicationSummaryView));
  assert.deepEqual(
    openApiForm({ type: 'object', patternProperties: { '^.*$': { const: 'a' } } }),
    openApiForm({ type: 'object', additionalProperties: { enum: ['a'] } }),
  );
});

describe('the workflow answers in the contracts’ schemas', () => {
  let h: Harness;
  before(async () => {
    h = await startWorkflow({ modules: withNotify });
  });
  after(() => h.p.close());

  test('every workflow route answers with a contract schema, or is written down as answering no JSON', () => {
    const documented = documentedAnswers(h.p.app.swagger() as { paths: Record<string, Record<string, Operation>> });
    assert.ok(documented.size >= 25, `only ${documented.size} workflow routes in the OpenAPI document`);
    assert.deepEqual(
      [...documented.keys()].sort(),
      Object.keys(ROUTES).sort(),
      'a route missing from ROUTES (or gone)',
    );
    for (const [route, answers] of documented) {
      const expected = ROUTES[route] ?? {};
      assert.deepEqual(
        [...answers.keys()].sort(),
        Object.keys(expected).map(Number).sort(),
        `${route}: the statuses answered with JSON`,
      );
      for (const [status, schema] of answers)
        assert.deepEqual(
          openApiForm(schema),
          asJson(expected[status]!),
          `${route} ${status}: not the contract's schema`,
        );
    }
  });

  test('every workflow URL the web app calls is a route with a contract (or no JSON answer)', () => {
    const routes = new Set(Object.keys(ROUTES).map((r) => template(r.slice(r.indexOf(' ') + 1))));
    const called = new Map<string, string>();
    for (const file of webSources(WEB_SOURCES.pathname))
      for (const url of workflowUrlsIn(readFileSync(file, 'utf8'))) called.set(url, file);
    assert.ok(called.size >= 15, `the scan found only ${called.size} workflow URLs in the web app`);
    const unknown = [...called].filter(([url]) => !routes.has(url)).map(([url, file]) => `${url} (${file})`);
    assert.deepEqual(unknown, [], 'the web app calls a workflow URL no route of ROUTES answers');
  });

  test('what a case answers on its way validates against the contracts: applicant, officer, correction', async () => {
    const problems: string[] = [];
    const check = (what: string, schema: TSchema, r: { status: number; body: unknown }) => {
      assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
      const validator = Compile(schema);
      if (!validator.Check(r.body))
        for (const e of validator.Errors(r.body)) problems.push(`${what} ${e.instancePath || '/'}: ${e.message}`);
    };
    const citizen = await h.citizen('citizen-contract');
    const officer = await h.officer('330100-WJW');

    check(
      'POST /drafts',
      ApplicationView,
      await h.call('POST', '/api/workflow/drafts', citizen, { subject: { kind: 'matter', code: M.birthCertificate } }),
    );
    const submitted = (await submitBirthCertificate(h, citizen)) as { id: string; tasks: { id: string }[] };
    check('POST /applications', ApplicationView, { status: 201, body: submitted });
    const taskId = submitted.tasks[0]!.id;
    check('GET /applications', ApplicationListView, await h.call('GET', '/api/workflow/applications', citizen));

    const queue = await h.call('GET', '/api/workflow/queue', officer);
    check('GET /queue', QueueView, queue);
    assert.ok(
      (queue.body as { taskId: string }[]).some((row) => row.taskId === taskId),
      'the task is in the queue',
    );
    const page = await h.call('GET', `/api/workflow/tasks/${taskId}`, officer);
    check('GET /tasks/:id', OfficerTaskView, page);
    const accepted = await act(h, officer, taskId, { action: 'accept', version: page.body.task.version });
    check('accept', TaskView, accepted);
    const asked = await act(h, officer, taskId, {
      action: 'requestCorrection',
      version: accepted.body.version,
      reason: '姓名与出生医学证明不一致',
      correction: { fields: ['childName'], materials: [] },
    });
    check('requestCorrection', TaskView, asked);

    const application = await h.call('GET', `/api/workflow/applications/${submitted.id}`, citizen);
    check('GET /applications/:id', ApplicationView, application);
    assert.equal((application.body as { needed: unknown[] }).needed.length, 1, 'the correction is needed');
    check(
      'GET /applications/:id/timeline',
      TimelineView,
      await h.call('GET', `/api/workflow/applications/${submitted.id}/timeline`, citizen),
    );
    // The inbox moved to notify (issue 15): the same contract, at its new address.
    await h.p.bus.settled();
    check('GET /me/notices', NoticeListView, await h.call('GET', '/api/notify/me/notices', citizen));
    check(
      'POST correction',
      TaskView,
      await h.call('POST', `/api/workflow/applications/${submitted.id}/tasks/${taskId}/correction`, citizen, {
        version: asked.body.version,
        form: { childName: '张小宝' },
        materials: [],
      }),
    );
    // The officer's timeline (with who acted) after the whole exchange: every step a real entry.
    const later = await h.call('GET', `/api/workflow/tasks/${taskId}`, officer);
    check('GET /tasks/:id after the correction', OfficerTaskView, later);
    assert.ok((later.body as { timeline: unknown[] }).timeline.length >= 4, 'the steps are on the timeline');
    assert.deepEqual(problems, []);
  });
});
