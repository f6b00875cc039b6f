// The holder's licences, one licence, and the issuing department's status actions.
import { LicenceStatusSchema, VerificationBody, VerificationView } from '@tongban/contracts';
import { definePolicies, LocalizedText, Policies, type HttpApp } from '@tongban/kernel';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { OFFICER_ACTIONS } from '../domain/status.ts';
import { LicenseError } from '../errors.ts';
import type { Licenses } from '../service/licenses.ts';
import { presentationCode } from '../service/presentation.ts';
import { licenceView } from '../service/views.ts';
import { findLicence, licencesOfHolder, statusAt } from '../store/licences.ts';
import { licenceServiceRoutes } from './services.ts';
import { trustRoutes } from './trust.ts';
import { walletRoutes } from './wallet.ts';

const Status = LicenceStatusSchema;

const LicenceSummary = Type.Object({
  id: Type.String(),
  identifier: Type.String(),
  type: Type.Object({ code: Type.String(), name: LocalizedText }),
  status: Status,
  statusCode: Type.String({
    description: 'GB/T 36904: 01 valid, 02 suspended, 03 revoked, 04 cancelled, 05 expired, 07 revoked as a penalty',
  }),
  validFrom: Type.String(),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  issuedAt: Type.String(),
});

const LicenceDetail = Type.Object({
  ...LicenceSummary.properties,
  holder: Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()], { description: 'masked' }) }),
  departmentCode: Type.String(),
  statusList: Type.Object({ id: Type.String(), index: Type.Integer() }),
});

const LicenceRef = Type.Object({ id: Type.String({ format: 'uuid' }) });
const StatusBody = Type.Object(
  {
    action: Type.Union(OFFICER_ACTIONS.map((a) => Type.Literal(a))),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

export function licenceRoutes(app: HttpApp, licenses: Licenses): void {
  const scopeOf = async (r: FastifyRequest) => {
    const id = (r.params as { id: string }).id;
    const row = await findLicence(licenses.db, id);
    if (!row) throw new LicenseError('LICENSES_NOT_FOUND', { id });
    return { ownerId: row.holder_id, departmentCode: row.department_code };
  };
  const policies = definePolicies({
    holder: { kinds: ['citizen', 'business'], assurance: 'password' },
    // The holder, or an officer of the issuing department.
    readLicence: { kinds: ['citizen', 'business', 'officer'], assurance: 'password', resource: scopeOf },
    // 亮证: only the holder shows their licence (an officer prints the lasting code instead).
    present: { kinds: ['citizen', 'business'], assurance: 'password', resource: scopeOf },
    // 暂停、恢复、撤销 change what every verifier answers: the issuing department, multi-factor.
    changeStatus: { kinds: ['officer'], assurance: 'mfa', resource: scopeOf },
  });

  app.get(
    '/me',
    {
      config: { policy: policies.holder },
      schema: {
        tags: ['licenses'],
        summary: 'My electronic licences (电子证照), newest first',
        response: { 200: Type.Object({ licences: Type.Array(LicenceSummary) }) },
      },
    },
    async (req) => {
      const me = req.principal!.actingFor ?? req.principal!.id;
      return { licences: (await licencesOfHolder(licenses.db, me)).map(licenceView) };
    },
  );

  app.get(
    '/:id',
    {
      config: { policy: policies.readLicence },
      schema: {
        tags: ['licenses'],
        summary: "One licence: its holder's or its issuing department's officers'",
        params: LicenceRef,
        response: { 200: LicenceDetail },
      },
    },
    async (req) => {
      const row = await findLicence(licenses.db, req.params.id);
      if (!row) throw new LicenseError('LICENSES_NOT_FOUND', { id: req.params.id });
      return licenceView(row);
    },
  );

  app.post(
    '/:id/status',
    {
      config: { policy: policies.changeStatus },
      schema: {
        tags: ['licenses'],
        summary: 'Suspend, reinstate or revoke a licence (a reason is required to suspend or revoke)',
        params: LicenceRef,
        body: StatusBody,
        response: { 200: LicenceDetail },
      },
    },
    async (req) => {
      const p = req.principal!;
      return licenses.changeStatus(req.params.id, req.body.action, req.body.reason, { kind: p.kind, id: p.id });
    },
  );

  app.get(
    '/:id/scan-code',
    {
      // 亮证: the holder shows it; the issuing department's officers may print it.
      config: { policy: policies.readLicence },
      schema: {
        tags: ['licenses'],
        summary: "The licence's scan code (TB1:…, COSE_Sign1) and its QR symbol (SVG, error correction Q)",
        params: LicenceRef,
        response: { 200: Type.Object({ code: Type.String(), qrSvg: Type.String() }) },
      },
    },
    async (req) => {
      const row = await findLicence(licenses.db, req.params.id);
      if (!row) throw new LicenseError('LICENSES_NOT_FOUND', { id: req.params.id });
      return licenses.scan.codeOf(row);
    },
  );

  app.post(
    '/:id/presentation-code',
    {
      config: { policy: policies.present },
      schema: {
        tags: ['licenses'],
        summary: '亮证: a scan code that verifies for five minutes, made fresh for the holder to show (masked name)',
        params: LicenceRef,
        response: {
          200: Type.Object({
            code: Type.String(),
            qrSvg: Type.String(),
            shownUntil: Type.String({ format: 'date-time' }),
          }),
        },
      },
    },
    async (req) => {
      const row = await findLicence(licenses.db, req.params.id);
      if (!row) throw new LicenseError('LICENSES_NOT_FOUND', { id: req.params.id });
      return presentationCode(licenses.scan, row, licenses.ctx.clock.now());
    },
  );

  app.post(
    '/verify',
    {
      // Anyone may check a code: what it says is what its holder shows, masked.
      config: { policy: Policies.public },
      schema: {
        tags: ['licenses'],
        summary: 'Check a scan code: signature, issuer, validity and status, with a reason for every failure',
        body: VerificationBody,
        response: { 200: VerificationView },
      },
    },
    async (req) =>
      licenses.scan.verify(req.body.code, licenses.ctx.clock.now(), (listId, index) =>
        statusAt(licenses.db, listId, index),
      ),
  );
  walletRoutes(app, licenses);
  trustRoutes(app, licenses);
  licenceServiceRoutes(app, licenses);
}
