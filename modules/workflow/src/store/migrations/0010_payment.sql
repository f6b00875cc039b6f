-- 统一支付 (issue 15): a task whose matter has fees starts 'awaiting_payment' — started, but not
-- yet the department's work and with no deadline clock — until payments.order.paid moves it to
-- 'submitted' (payments.order.expired ends it 'cancelled'). payments.order.created names the
-- order and its amount (fen, integers only) on the task, so the applicant's view can say what to pay.
alter table workflow.task drop constraint task_state_check;
alter table workflow.task add constraint task_state_check
  check (state in ('waiting', 'awaiting_payment', 'submitted', 'accepted', 'reviewed', 'correction', 'approved',
                   'rejected', 'cancelled', 'withdrawn'));
alter table workflow.task add column payment_order_id text;
alter table workflow.task add column payment_amount_fen bigint check (payment_amount_fen >= 0);

-- payments.order.paid / payments.order.expired, queued by the consumer in the delivery's
-- transaction (with its inbox row) and applied by the payment worker outside it: moving the task
-- on needs the catalog (its calendar, its 秒批 rules), and a call into another module from inside
-- a transaction would wait on the embedded database's one connection. One row per task: the
-- first settlement heard wins, a redelivery adds nothing, and the worker drops what no longer applies.
create table workflow.payment_pending (
  task_id uuid primary key references workflow.task (id),
  outcome text not null check (outcome in ('paid', 'expired')),
  order_id text not null,
  event jsonb not null,
  queued_at timestamptz not null,
  attempts integer not null default 0,
  last_error text
);
