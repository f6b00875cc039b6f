// The matrix's own derivation of a verdict (oracle.ts), checked without a server: if it said
// "allow" to everything, the matrix could never fail.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectedVerdict, judge, type Caller, type DeclaredPolicy } from './oracle.ts';

const counter: DeclaredPolicy = {
  kinds: ['officer', 'service'],
  roles: { officer: ['counter'] },
  assurance: { officer: 'mfa' },
  resource: false,
};
const officer = (roles: string[], assurance: 'password' | 'mfa', reach?: 'own' | 'other'): Caller => ({
  credential: 'token',
  kind: 'officer',
  roles,
  assurance,
  ...(reach ? { reach } : {}),
});

describe('the matrix oracle', () => {
  test('a policy with roles refuses a principal without one of them, and lets one with it through', () => {
    assert.deepEqual(expectedVerdict(counter, officer(['officer', 'approver'], 'mfa')), {
      allow: false,
      status: 403,
      code: 'FORBIDDEN',
      why: 'none of the roles counter',
    });
    assert.deepEqual(expectedVerdict(counter, officer(['counter'], 'mfa')), { allow: true });
  });

  test('credentials come first, then kind, then role, then assurance', () => {
    assert.equal((expectedVerdict(counter, { credential: 'none' }) as { code: string }).code, 'UNAUTHENTICATED');
    assert.equal((expectedVerdict(counter, { credential: 'malformed' }) as { code: string }).code, 'TOKEN_INVALID');
    assert.equal((expectedVerdict(counter, { credential: 'expired' }) as { code: string }).code, 'TOKEN_EXPIRED');
    const citizen: Caller = { credential: 'token', kind: 'citizen', roles: ['counter'], assurance: 'mfa' };
    assert.equal((expectedVerdict(counter, citizen) as { code: string }).code, 'FORBIDDEN');
    assert.equal((expectedVerdict(counter, officer([], 'password')) as { code: string }).code, 'FORBIDDEN');
    assert.equal(
      (expectedVerdict(counter, officer(['counter'], 'password')) as { code: string }).code,
      'STEP_UP_REQUIRED',
    );
  });

  test("assurance binds the kinds it names; a system below a route's assurance is 403, never asked to step up", () => {
    const system: Caller = { credential: 'token', kind: 'service', roles: [], assurance: 'none' };
    assert.deepEqual(expectedVerdict(counter, system), { allow: true });
    const everyone: DeclaredPolicy = { kinds: ['service'], roles: {}, assurance: { service: 'mfa' }, resource: false };
    assert.equal((expectedVerdict(everyone, system) as { status: number }).status, 403);
  });

  test("another's resource is refused to scoped kinds only, with the module's own denial", () => {
    const task: DeclaredPolicy = { kinds: ['officer'], roles: {}, assurance: {}, resource: true };
    assert.deepEqual(expectedVerdict(task, officer([], 'mfa', 'own')), { allow: true });
    const hidden = { status: 404 as const, code: 'X_NOT_FOUND' };
    assert.equal((expectedVerdict(task, officer([], 'mfa', 'other'), hidden) as { code: string }).code, 'X_NOT_FOUND');
  });

  test('judging: a guard code where an allow was expected is a denial; a 400 or a 404 is an allow', () => {
    const allow = { allow: true } as const;
    assert.equal(judge(allow, { status: 400, code: 'VALIDATION_FAILED' }), 'agree');
    assert.equal(judge(allow, { status: 404, code: 'NOT_FOUND' }), 'agree');
    assert.equal(judge(allow, { status: 403, code: 'FORBIDDEN' }), 'unexpected denial');
    const forbidden = { allow: false, status: 403, code: 'FORBIDDEN', why: 'kind' } as const;
    assert.equal(judge(forbidden, { status: 200, code: undefined }), 'unexpected allow');
    assert.equal(judge(forbidden, { status: 401, code: 'STEP_UP_REQUIRED' }), 'wrong denial');
    assert.equal(judge(forbidden, { status: 403, code: 'FORBIDDEN' }), 'agree');
  });
});
