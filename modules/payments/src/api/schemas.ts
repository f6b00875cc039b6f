// What the payments routes take and answer beyond the contracts' views.
import Type from 'typebox';

export const RefundBody = Type.Object(
  {
    amountFen: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }),
    reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
  },
  { additionalProperties: false },
);

export const RefundView = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  amountFen: Type.Integer({ minimum: 1 }),
  reason: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  createdAt: Type.String(),
  succeededAt: Type.Union([Type.String(), Type.Null()]),
});
export const RefundListView = Type.Array(RefundView);

export const ReconciliationBody = Type.Object(
  {
    channel: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }),
    day: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' }),
  },
  { additionalProperties: false },
);

export const ReconciliationView = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  day: Type.String(),
  matched: Type.Integer({ minimum: 0 }),
  statementLines: Type.Integer({ minimum: 0 }),
  completedAt: Type.String(),
  discrepancies: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('missing_ours'), Type.Literal('missing_channel'), Type.Literal('amount_differs')]),
      type: Type.Union([Type.Literal('pay'), Type.Literal('refund')]),
      key: Type.String(),
      orderId: Type.Union([Type.String(), Type.Null()]),
      channelTradeNo: Type.Union([Type.String(), Type.Null()]),
      oursFen: Type.Union([Type.Integer(), Type.Null()]),
      channelFen: Type.Union([Type.Integer(), Type.Null()]),
      resolution: Type.String({
        description: "'open', or 'counted': missing here, confirmed by the channel's query and recorded",
      }),
    }),
  ),
});
