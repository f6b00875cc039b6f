import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppPath, matchPath } from '../src/lib/paths.ts';

test('a pattern matches whole segments and decodes its parameters', () => {
  assert.deepEqual(matchPath('/', '/'), {});
  assert.deepEqual(matchPath('/matters/:code', '/matters/330100-GA-001'), { code: '330100-GA-001' });
  assert.deepEqual(matchPath('/matters/:code', '/matters/a%20b/'), { code: 'a b' });
  assert.equal(matchPath('/matters/:code', '/matters'), null);
  assert.equal(matchPath('/matters/:code', '/matters/a/b'), null);
  assert.equal(matchPath('/search', '/searching'), null);
  assert.equal(matchPath('/matters/:code', '/matters/%E0%A4%A'), null);
});

test("an area's prefix takes the rest of the path", () => {
  assert.deepEqual(matchPath('/workbench/*', '/workbench'), { '*': '' });
  assert.deepEqual(matchPath('/workbench/*', '/workbench/tasks/12'), { '*': 'tasks/12' });
  assert.equal(matchPath('/workbench/*', '/workbenches'), null);
});

test("the BFF's, the API's and other sites' addresses load as pages, not in the app", () => {
  assert.equal(isAppPath('/search?q=a'), true);
  assert.equal(isAppPath('/portal/login?return=%2F'), false);
  assert.equal(isAppPath('/api/docs'), false);
  assert.equal(isAppPath('/oidc/auth'), false);
  assert.equal(isAppPath('//example.com/'), false);
  assert.equal(isAppPath('https://example.com/'), false);
  assert.equal(isAppPath('/portals'), true);
});
