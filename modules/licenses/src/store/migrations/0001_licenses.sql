-- 电子证照: licences, their status actions (append-only), serials per type and issuer, status
-- list slots, and approved tasks waiting to become licences.

-- An approved task of a matter that produces a licence, queued by the consumer in its delivery
-- transaction (with the inbox row: once); the issuer turns it into a licence outside it.
create table licenses.pending_issue (
  task_id text primary key,
  event jsonb not null,
  received_at timestamptz not null default now(),
  attempts integer not null default 0,
  last_error text
);

create table licenses.serial (
  type_code text not null,
  issuer_code text not null,
  last integer not null,
  primary key (type_code, issuer_code)
);

create table licenses.status_list (
  id text primary key,
  next_index integer not null default 0 check (next_index >= 0)
);

create table licenses.licence (
  id text primary key,
  identifier text not null unique,
  type_code text not null,
  issuer_code text not null,
  serial integer not null check (serial > 0),
  version integer not null check (version between 1 and 999),
  department_code text not null,
  holder_id text not null,
  holder_name_masked text,
  matter_code text not null,
  application_id text not null,
  -- Approved once, issued once: a redelivered or replayed approval cannot make a second licence.
  task_id text not null unique,
  -- The form answers the licence carries (names, dates, addresses): sealed JSON (ctx.fields, additional
  -- data 'licenses.licence.fields:<id>'), never in clear.
  fields text not null,
  status text not null check (status in ('valid', 'suspended', 'revoked', 'cancelled', 'expired', 'penalty-revoked')),
  valid_from timestamptz not null,
  valid_until timestamptz,
  status_list_id text not null references licenses.status_list (id),
  status_index integer not null check (status_index >= 0),
  issued_at timestamptz not null,
  unique (type_code, issuer_code, serial, version),
  unique (status_list_id, status_index)
);
create index licence_holder on licenses.licence (holder_id, issued_at desc);
create index licence_expiry on licenses.licence (valid_until) where status in ('valid', 'suspended');

-- Every status change, appended: the licence's status is checked against its last action.
create table licenses.status_action (
  id bigint generated always as identity primary key,
  licence_id text not null references licenses.licence (id),
  action text not null,
  from_status text,
  to_status text not null,
  reason text,
  actor_kind text not null,
  actor_id text not null,
  at timestamptz not null
);
create index status_action_licence on licenses.status_action (licence_id, id);

create function licenses.refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'licenses.status_action is append-only';
end $$;
create trigger status_action_append_only before update or delete on licenses.status_action
  for each row execute function licenses.refuse_change();
