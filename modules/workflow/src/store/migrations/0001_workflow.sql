-- Workflow (业务协同引擎): applications (办件), one department task per matter, the append-only
-- action log that is the source of truth for every timeline, and the applicant's notices.

create sequence workflow.case_serial;

create table workflow.application (
  id uuid primary key,
  case_number text unique,                    -- 办件编号, given at submission
  applicant_id text not null,                 -- the owner: a citizen or business account
  applicant_kind text not null check (applicant_kind in ('citizen', 'business')),
  subject_kind text not null check (subject_kind in ('matter', 'bundle')),
  subject_code text not null,
  subject_version int not null check (subject_version > 0),
  region_code text not null,
  status text not null check (status in ('draft', 'in_progress', 'completed', 'closed')),
  channel text not null check (channel in ('online', 'counter')),
  filed_by text,                              -- the officer who filed it at a counter (窗口)
  form jsonb not null,
  materials jsonb not null,                   -- [{ code, ref }]
  idempotency_key text,
  request_digest text,                        -- what the key was first used for
  version int not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  submitted_at timestamptz,
  finished_at timestamptz,
  -- the same key always yields the same application, whatever the races
  unique (applicant_id, idempotency_key),
  check ((status = 'draft') = (case_number is null)),
  check (channel = 'online' or filed_by is not null)
);
create index application_applicant on workflow.application (applicant_id, created_at desc);

create table workflow.task (
  id uuid primary key,
  application_id uuid not null references workflow.application (id),
  matter_code text not null,
  matter_version int not null,
  department_code text not null,
  region_code text not null,
  depends_on text[] not null,
  process text not null check (process in ('standard', 'immediate')), -- the matter's process (即办件 or not)
  state text not null check (state in ('waiting', 'submitted', 'accepted', 'reviewed', 'correction', 'approved', 'rejected', 'cancelled')),
  resume_state text,                          -- where a correction returns
  assignee text,
  promised_days int not null,
  due_on date,                                -- set when the task starts; moved when a correction pauses it
  warn_on date,
  remaining_days int,                         -- working days left when the clock was paused (补正)
  correction jsonb,                           -- { fields, materials, reason } while a correction is open
  pending_materials text[] not null default '{}', -- 容缺受理: materials still to come
  warned_at timestamptz,
  escalated_at timestamptz,
  version int not null default 1,             -- optimistic concurrency: every action bumps it
  started_at timestamptz,
  finished_at timestamptz,
  unique (application_id, matter_code),
  check (state <> 'correction' or (correction is not null and resume_state is not null and remaining_days is not null))
);
create index task_application on workflow.task (application_id);
-- Officer queues: a department's open tasks by due date.
create index task_queue on workflow.task (department_code, due_on, id)
  where state in ('submitted', 'accepted', 'reviewed', 'correction');
create index task_due on workflow.task (due_on) where state in ('submitted', 'accepted', 'reviewed');

-- Every action, appended, never changed: the timeline and the audit trail.
create table workflow.action (
  seq bigserial primary key,
  application_id uuid not null references workflow.application (id),
  task_id uuid references workflow.task (id),
  task_version int,                           -- the task's version this action produced
  action text not null,
  actor_kind text not null check (actor_kind in ('applicant', 'officer', 'system')),
  actor_id text not null,
  from_state text,
  to_state text,
  reason text,
  rule text,                                  -- the auto-approval rule that fired
  detail jsonb not null default '{}',
  at timestamptz not null,
  -- two writers that loaded the same task version cannot both append
  unique (task_id, task_version)
);
create index action_application on workflow.action (application_id, seq);

create function workflow.refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the workflow action log is append-only (% on %)', tg_op, tg_table_name;
end $$;
create trigger action_append_only before update or delete on workflow.action
  for each row execute function workflow.refuse_change();

-- The applicant's in-app inbox (站内信).
create table workflow.notice (
  id uuid primary key,
  recipient_id text not null,
  application_id uuid not null references workflow.application (id),
  task_id uuid references workflow.task (id),
  kind text not null,
  params jsonb not null default '{}',
  created_at timestamptz not null,
  read_at timestamptz
);
create index notice_recipient on workflow.notice (recipient_id, created_at desc);
