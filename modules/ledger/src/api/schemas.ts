import Type from 'typebox';

export const LogParam = Type.Object({ log: Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$' }) });
export const Index = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
export const EntryParam = Type.Object({ log: LogParam.properties.log, index: Index });
export const InclusionQuery = Type.Object(
  { index: Index, size: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) },
  { additionalProperties: false },
);
export const ConsistencyQuery = Type.Object(
  {
    first: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    second: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  },
  { additionalProperties: false },
);
export const RangeQuery = Type.Object(
  { start: Index, end: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);
export const CheckpointsQuery = Type.Object(
  {
    after: Type.Integer({ minimum: -1, maximum: Number.MAX_SAFE_INTEGER, default: -1 }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
export const NewLogBody = Type.Object(
  {
    id: LogParam.properties.log,
    hashAlgorithm: Type.Unsafe<'sha256' | 'sm3'>({ type: 'string', enum: ['sha256', 'sm3'] }),
    signatureAlgorithm: Type.Unsafe<'ed25519' | 'sm2'>({ type: 'string', enum: ['ed25519', 'sm2'] }),
  },
  { additionalProperties: false },
);

// Entries are public and permanent: every field is a code, an identifier or a digest — nothing a
// name, an address or a sentence of personal data fits in (those go in as digests, or not at all).
const Code = (maxLength: number) => Type.String({ pattern: `^[a-z][a-z0-9.-]{0,${maxLength - 1}}$` });
const Identifier = (maxLength: number) => Type.String({ pattern: `^[A-Za-z0-9._:/-]{1,${maxLength}}$` });
const Ref = Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' }), Identifier(200), {
  maxProperties: 20,
});
/** An entry a department system appends: references and digests only. */
export const AppendBody = Type.Object(
  {
    actor: Type.Object(
      { kind: Code(40), id: Type.Union([Identifier(128), Type.Null()]) },
      { additionalProperties: false },
    ),
    action: Type.String({ pattern: '^[a-z][a-z0-9.-]{2,99}$' }),
    subject: Type.Union([
      Type.Object({ kind: Code(40), id: Identifier(128) }, { additionalProperties: false }),
      Type.Null(),
    ]),
    resource: Type.Union([Ref, Type.Null()]),
    purpose: Code(100),
    outcome: Type.Unsafe<'success' | 'failure' | 'denied'>({ type: 'string', enum: ['success', 'failure', 'denied'] }),
    digests: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_-]{0,39}$' }), Type.String({ pattern: '^[0-9a-f]{64}$' }), {
        maxProperties: 20,
      }),
    ),
  },
  { additionalProperties: false },
);

export const CosignBody = Type.Object(
  {
    origin: Type.String({ minLength: 1, maxLength: 255 }),
    oldSize: Type.Integer({ minimum: 0 }),
    checkpoint: Type.String({ minLength: 1, maxLength: 2000 }),
    signature: Type.String({ minLength: 1, maxLength: 200 }),
    proof: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 128 }),
  },
  { additionalProperties: false },
);

export const CheckpointView = Type.Object({
  log: Type.String(),
  size: Type.Integer(),
  root: Type.String(),
  issuedAt: Type.String(),
  body: Type.String(),
  signature: Type.String(),
  cosignatures: Type.Array(Type.Object({ witness: Type.String(), keyId: Type.String(), signature: Type.String() })),
  note: Type.Union([Type.String(), Type.Null()], {
    description:
      "The checkpoint as a C2SP signed note (the log's and the witnesses' Ed25519 lines); null for an SM2 log",
  }),
});
export const ProofView = Type.Object({
  log: Type.String(),
  index: Type.Integer(),
  treeSize: Type.Integer(),
  leafHash: Type.String(),
  proof: Type.Array(Type.String()),
  checkpoint: Type.Optional(CheckpointView),
});
