-- 统一支付: orders bound to a task, the payment that settled each (once), checkout sessions,
-- refunds, every channel callback as received, and the daily reconciliations with the channel.
-- Amounts are int8 fen (分), never negative.

-- A started task, queued by the consumer in its delivery transaction (with the inbox row: once);
-- the assessor asks the catalog and the workflow outside it, then creates the order.
create table payments.pending_assessment (
  task_id text primary key,
  event jsonb not null,
  received_at timestamptz not null default now(),
  attempts integer not null default 0,
  last_error text
);

create table payments.payment_order (
  id text primary key,
  -- One order per task that must be paid for: a redelivered start or two assessors racing make one.
  task_id text not null unique,
  application_id text not null,
  case_number text not null,
  matter_code text not null,
  matter_version integer not null,
  matter_name jsonb not null,
  department_code text not null,
  payer_id text not null,
  payer_kind text not null,
  amount_fen int8 not null check (amount_fen >= 0),
  refunded_fen int8 not null default 0 check (refunded_fen >= 0 and refunded_fen <= amount_fen),
  items jsonb not null,
  status text not null check (status in ('pending', 'paid', 'waived', 'expired', 'partially_refunded', 'refunded')),
  channel text,
  channel_trade_no text,
  paid_via text check (paid_via in ('notify', 'query', 'exempt')),
  paid_at timestamptz,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  receipt_licence_id text,
  receipt_identifier text,
  -- A paid (or later refunded) order names how it was paid; a waived one is 0.
  check (status not in ('paid', 'partially_refunded', 'refunded') or (paid_at is not null and channel is not null)),
  check (status <> 'waived' or amount_fen = 0)
);
create index payment_order_payer on payments.payment_order (payer_id, created_at desc);
create index payment_order_department on payments.payment_order (department_code, status, created_at desc);
create index payment_order_pending on payments.payment_order (expires_at) where status = 'pending';

-- The payment that settled an order: at most one per order, and a channel's trade counted once.
create table payments.payment (
  order_id text primary key references payments.payment_order (id),
  channel text not null,
  channel_trade_no text not null,
  amount_fen int8 not null check (amount_fen > 0),
  via text not null check (via in ('notify', 'query')),
  paid_at timestamptz not null,
  recorded_at timestamptz not null,
  unique (channel, channel_trade_no)
);

-- A cashier session at the channel. The payer's return URL carries only the random token, never
-- an order or payment id (GOV.UK Pay); an Idempotency-Key answers the same session again.
create table payments.checkout (
  token text primary key,
  order_id text not null references payments.payment_order (id),
  payer_id text not null,
  channel text not null,
  session_id text not null,
  next_url text not null,
  idempotency_key text,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  unique (order_id, idempotency_key)
);
create index checkout_order on payments.checkout (order_id, created_at desc);

create table payments.refund (
  id text primary key,
  order_id text not null references payments.payment_order (id),
  amount_fen int8 not null check (amount_fen > 0),
  reason text not null,
  idempotency_key text not null,
  status text not null check (status in ('pending', 'succeeded', 'failed')),
  requested_by text not null,
  created_at timestamptz not null,
  succeeded_at timestamptz,
  last_error text,
  unique (order_id, idempotency_key)
);

-- Every callback as it came: accepted, a duplicate of one accepted, or refused with its reason.
create table payments.callback_log (
  id bigserial primary key,
  channel text not null,
  notify_id text,
  order_id text,
  outcome text not null check (outcome in ('accepted', 'duplicate', 'refused')),
  reason text,
  ip text not null,
  body_sha256 text not null,
  received_at timestamptz not null
);
-- A notify id is accepted once; what comes again under it is a replay.
create unique index callback_log_accepted on payments.callback_log (channel, notify_id) where outcome = 'accepted';

create table payments.reconciliation (
  id text primary key,
  channel text not null,
  -- The statement's day in China Standard Time (YYYY-MM-DD).
  day text not null check (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  matched integer not null check (matched >= 0),
  discrepancies integer not null check (discrepancies >= 0),
  statement_lines integer not null,
  completed_at timestamptz not null,
  requested_by text not null
);
create index reconciliation_day on payments.reconciliation (channel, day, completed_at desc);

create table payments.discrepancy (
  id bigserial primary key,
  reconciliation_id text not null references payments.reconciliation (id),
  kind text not null check (kind in ('missing_ours', 'missing_channel', 'amount_differs')),
  type text not null check (type in ('pay', 'refund')),
  entry_key text not null,
  order_id text,
  channel_trade_no text,
  ours_fen int8,
  channel_fen int8,
  -- What was done about it: 'counted' (missing here, the channel's query confirmed it, recorded now), or 'open'.
  resolution text not null
);
