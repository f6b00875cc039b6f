// What other modules' systems ask of the licence register (a service token with a role of its own):
//   GET /api/licenses/services/holders/:holderId/licences/:identifier
// 免证办: the workflow checks that a licence an applicant names as a material is theirs, and
// reads its type, status and validity. Found only under its holder: another person's identifier
// answers 404 like an unknown one, so a caller learns nothing of licences it was not shown.
import { LicenceCheckApi, ServiceRoles } from '@tongban/contracts';
import type { HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { LicenseError } from '../errors.ts';
import type { Licenses } from '../service/licenses.ts';
import { licenceView } from '../service/views.ts';
import { findLicenceByIdentifier } from '../store/licences.ts';

const HolderLicenceParams = Type.Object({
  holderId: Type.String({ minLength: 1, maxLength: 200 }),
  identifier: Type.String({ minLength: 1, maxLength: 200 }),
});

export function licenceServiceRoutes(app: HttpApp, licenses: Licenses): void {
  app.get(
    '/services/holders/:holderId/licences/:identifier',
    {
      config: { policy: { kinds: ['service'], roles: { service: [ServiceRoles.licensesHolderCheck] } } },
      schema: {
        tags: ['licenses: services'],
        summary: "A holder's licence by identifier: its type, status and validity (免证办: the workflow's check)",
        params: HolderLicenceParams,
        response: { 200: LicenceCheckApi.holderLicence.response },
      },
    },
    async (req) => {
      const row = await findLicenceByIdentifier(licenses.db, req.params.identifier);
      if (!row || row.holder_id !== req.params.holderId)
        throw new LicenseError('LICENSES_NOT_FOUND', { id: req.params.identifier });
      const view = licenceView(row);
      return {
        licenceId: view.id,
        identifier: view.identifier,
        typeCode: view.type.code,
        typeName: { zh: view.type.name.zh, en: view.type.name.en },
        holderId: view.holder.id,
        status: view.status,
        validFrom: view.validFrom,
        validUntil: view.validUntil,
      };
    },
  );
}
