import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMessages, translate } from '../src/i18n/messages.ts';
import { workbenchEn } from '../src/i18n/workbench.en.ts';
import { workbenchZh } from '../src/i18n/workbench.zh-CN.ts';
import { loginUrl, problemMessageKey, signInRedirect, toProblem } from '../src/lib/problem.ts';

test('a problem code with words of its own gets them, in both languages', () => {
  assert.equal(problemMessageKey('CATALOG_MATTER_NOT_FOUND'), 'errors.CATALOG_MATTER_NOT_FOUND');
  assert.equal(translate('en', problemMessageKey('RATE_LIMITED')), 'Too many attempts. Wait a moment and try again.');
});

test("an area's own words for a code come first once its chunk has loaded; the portal's stay its own", () => {
  assert.equal(problemMessageKey('WORKFLOW_STALE_TASK', 'workbench'), 'errors.WORKFLOW_STALE_TASK', 'not loaded yet');
  addMessages({ 'zh-CN': workbenchZh, en: workbenchEn });
  assert.equal(problemMessageKey('WORKFLOW_STALE_TASK', 'workbench'), 'workbench.errors.WORKFLOW_STALE_TASK');
  assert.equal(problemMessageKey('WORKFLOW_STALE_TASK'), 'errors.WORKFLOW_STALE_TASK');
});

test('a code the catalogs do not know falls back to the generic message', () => {
  assert.equal(problemMessageKey('SOMETHING_NEW'), 'errors.generic');
  assert.equal(problemMessageKey('constructor'), 'errors.generic');
  assert.equal(problemMessageKey(''), 'errors.generic');
});

test('the codes the SPA itself and the BFF contract produce have messages', () => {
  for (const code of ['NETWORK', 'PORTAL_SIGNED_OUT', 'STEP_UP_REQUIRED', 'INTERNAL', 'NOT_FOUND'])
    assert.equal(problemMessageKey(code), `errors.${code}`);
});

test('problem+json keeps its code and field errors; any other body gets a code from its status', () => {
  const body = {
    type: 't',
    title: 'x',
    status: 422,
    code: 'VALIDATION_FAILED',
    errors: [{ field: 'q', code: 'c', message: 'm' }],
  };
  assert.deepEqual(toProblem(422, body), body);
  assert.equal(toProblem(404, '<html>').code, 'NOT_FOUND');
  assert.equal(toProblem(502, undefined).code, 'INTERNAL');
  assert.equal(toProblem(418, { code: 7 }).code, 'UNKNOWN');
});

test('a signed-out session sends the browser to sign in and back; step-up asks for MFA', () => {
  assert.equal(
    signInRedirect({ status: 401, code: 'PORTAL_SIGNED_OUT' }, '/apply/BIRTH?x=1'),
    '/portal/login?return=%2Fapply%2FBIRTH%3Fx%3D1',
  );
  assert.equal(
    signInRedirect({ status: 401, code: 'STEP_UP_REQUIRED' }, '/a'),
    '/portal/login?return=%2Fa&assurance=mfa',
  );
  assert.equal(signInRedirect({ status: 401, code: 'TOKEN_INVALID' }, '/a'), undefined);
  assert.equal(signInRedirect({ status: 403, code: 'PORTAL_SIGNED_OUT' }, '/a'), undefined);
});

test('the return address is a path on this site, never another site', () => {
  assert.equal(loginUrl('//evil.example/x'), '/portal/login?return=%2F');
  assert.equal(loginUrl('https://evil.example/'), '/portal/login?return=%2F');
});
