-- 查看明文 of a form answer: an officer revealing one masked answer of a task's application, with
-- the reason (sealed by the service, additional data 'workflow.answer_reveal.reason': free text may
-- name a person). The hourly limit counts these rows; the ledger gets the event
-- workflow.answer.revealed. Insert-only for the application: a reveal is never rewritten.
create table workflow.answer_reveal (
  id uuid primary key,
  officer_id text not null,
  task_id uuid not null references workflow.task (id),
  application_id uuid not null references workflow.application (id),
  field text not null,
  reason text not null,
  revealed_at timestamptz not null
);
create index answer_reveal_by_officer on workflow.answer_reveal (officer_id, revealed_at);

create function workflow.answer_reveal_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'workflow.answer_reveal is append-only';
end $$;
create trigger answer_reveal_append_only before update or delete on workflow.answer_reveal
  for each row execute function workflow.answer_reveal_is_append_only();
