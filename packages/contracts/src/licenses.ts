// Electronic licences (电子证照, issue 13) as other modules rely on them: the events the licences
// module publishes (the ledger records them) and the status codes of GB/T 36904.
import Type, { type Static } from 'typebox';

/** GB/T 36904 status codes: 01 valid, 02 suspended, 03 revoked, 04 cancelled, 05 expired, 07 revoked as a penalty. */
export const LICENCE_STATUSES = {
  valid: '01',
  suspended: '02',
  revoked: '03',
  cancelled: '04',
  expired: '05',
  'penalty-revoked': '07',
} as const;
export type LicenceStatus = keyof typeof LICENCE_STATUSES;
export const LicenceStatusSchema = Type.Union(
  (Object.keys(LICENCE_STATUSES) as LicenceStatus[]).map((s) => Type.Literal(s)),
) as unknown as ReturnType<typeof Type.Unsafe<LicenceStatus>>;

const Actor = Type.Object({ kind: Type.String(), id: Type.String() });

export const LicenseEvents = {
  /** Issued once per approved task of a matter that produces a licence. */
  'licenses.licence.issued': Type.Object({
    licenceId: Type.String(),
    identifier: Type.String(),
    typeCode: Type.String(),
    holderId: Type.String(),
    departmentCode: Type.String(),
    applicationId: Type.String(),
    taskId: Type.String(),
    validFrom: Type.String(),
    validUntil: Type.Union([Type.String(), Type.Null()]),
    statusList: Type.Object({ id: Type.String(), index: Type.Integer({ minimum: 0 }) }),
    at: Type.String(),
  }),
  /** 暂停、恢复、撤销、到期: each change of a licence's status, by whom and why. */
  'licenses.licence.status-changed': Type.Object({
    licenceId: Type.String(),
    identifier: Type.String(),
    holderId: Type.String(),
    departmentCode: Type.String(),
    action: Type.String(),
    from: LicenceStatusSchema,
    to: LicenceStatusSchema,
    /** The GB/T 36904 code of `to`. */
    code: Type.String(),
    reason: Type.Optional(Type.String()),
    actor: Actor,
    statusList: Type.Object({ id: Type.String(), index: Type.Integer({ minimum: 0 }) }),
    at: Type.String(),
  }),
  /** 入卡包: the licence issued to the holder's wallet as an SD-JWT VC (OpenID4VCI), bound to the wallet's key. */
  'licenses.licence.wallet-issued': Type.Object({
    licenceId: Type.String(),
    identifier: Type.String(),
    typeCode: Type.String(),
    holderId: Type.String(),
    departmentCode: Type.String(),
    credentialConfigurationId: Type.String(),
    /** RFC 7638 thumbprint of the wallet's key the credential is bound to (cnf.jwk). */
    holderKeyThumbprint: Type.String(),
    statusList: Type.Object({ id: Type.String(), index: Type.Integer({ minimum: 0 }) }),
    at: Type.String(),
  }),
} as const;
export type LicenceIssued = Static<(typeof LicenseEvents)['licenses.licence.issued']>;
export type LicenceStatusChanged = Static<(typeof LicenseEvents)['licenses.licence.status-changed']>;
