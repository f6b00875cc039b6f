-- 非税收入票据 (issue 15): an electronic receipt for a paid order is a licence of its own, for the
-- same task as the licence its matter produces — so a licence is no longer unique per task, but
-- per source: the task's own licence once (order_id null), and a receipt once per order.
alter table licenses.licence add column order_id text;
alter table licenses.licence drop constraint licence_task_id_key;
-- Same name as the constraint it replaces: the issuer recognises a lost race by it.
create unique index licence_task_id_key on licenses.licence (task_id) where order_id is null;
create unique index licence_order_id_key on licenses.licence (order_id) where order_id is not null;

-- payments.order.paid with something paid, queued by the consumer in its delivery transaction
-- (once, with the inbox row); the issuer turns it into a receipt outside it.
create table licenses.pending_receipt (
  order_id text primary key,
  event jsonb not null,
  received_at timestamptz not null default now(),
  attempts integer not null default 0,
  last_error text
);
