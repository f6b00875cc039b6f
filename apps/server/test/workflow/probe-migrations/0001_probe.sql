-- The durability test's witness: one row per delivery of a workflow event to the probe's
-- consumers, written in the consumer's transaction. Deliberately not unique on event_id: an event
-- handled twice would show as two rows instead of failing the second delivery.
create table probe.delivery (
  seq bigserial primary key,
  event_id uuid not null,
  type text not null,
  application_id uuid,
  task_id uuid,
  delivered_at timestamptz not null default now()
);
create index delivery_event on probe.delivery (event_id);
