import Type from 'typebox';

/** RFC 9457 problem details as this platform writes them; for OpenAPI responses. */
export const ProblemDetails = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable error code, e.g. CATALOG_DEPENDENCY_CYCLE' }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() })),
    ),
  },
  { $id: 'ProblemDetails' },
);

/** Text in both languages the platform speaks; zh-CN first (declared once, in the contracts). */
export { LocalizedText } from '@tongban/contracts';
