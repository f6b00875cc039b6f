-- 安全运营: the signals sentinel correlated, the rules' window states, alerts with their appended
-- history, responses with their lifts, identity's part of a response, and the syslog cursor.

-- Every normalized signal, by event id: the evidence an alert cites.
create table sentinel.signal (
  event_id text primary key,
  event_type text not null,
  type text not null,
  at timestamptz not null,
  signal jsonb not null
);

-- A rule's state for one subject (`${ruleId}:${subject}`), read and written in the delivery's
-- transaction: it survives a restart.
create table sentinel.window_state (
  key text primary key,
  state jsonb not null,
  updated_at timestamptz not null
);

create table sentinel.alert (
  seq bigserial unique,
  id text primary key,
  rule_id text not null,
  rules_version integer not null check (rules_version >= 1),
  severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
  subject_kind text not null,
  subject_value text not null,
  title jsonb not null,
  evidence jsonb not null,
  raised_at timestamptz not null,
  -- The current state: the last entry of alert_history (checked there, never the only record).
  status text not null check (status in ('open', 'assigned', 'closed')),
  assignee text,
  resolution text check (resolution in ('true-positive', 'false-positive', 'benign')),
  updated_at timestamptz not null,
  check ((status = 'closed') = (resolution is not null))
);
create index alert_status_seq on sentinel.alert (status, seq);

-- Every change of an alert, appended: raised, assigned, closed, reopened.
create table sentinel.alert_history (
  alert_id text not null references sentinel.alert (id),
  seq integer not null check (seq >= 1),
  action text not null check (action in ('raised', 'assigned', 'closed', 'reopened')),
  status text not null,
  by_kind text not null,
  by_id text not null,
  assignee text,
  reason text,
  resolution text,
  at timestamptz not null,
  primary key (alert_id, seq)
);

create table sentinel.response (
  id text primary key,
  alert_id text references sentinel.alert (id),
  action text not null
    check (action in ('block-address', 'throttle-address', 'step-up-session', 'revoke-sessions', 'lock-account')),
  target jsonb not null,
  applied_at timestamptz not null,
  until timestamptz,
  by_kind text not null,
  by_id text not null,
  reason text,
  -- identity's part (lock-account, revoke-sessions): null for the guard's own actions.
  delivery_state text check (delivery_state in ('pending', 'done', 'failed')),
  delivery_attempts integer not null default 0,
  delivery_error text
);
create index response_until on sentinel.response (until);

-- A lift is a fact of its own (one per response), never an overwrite of the response.
create table sentinel.response_lift (
  response_id text primary key references sentinel.response (id),
  at timestamptz not null,
  by_kind text not null,
  by_id text not null,
  reason text not null
);

-- How far the syslog forwarder has sent (alert.seq), per receiver.
create table sentinel.forward_cursor (
  target text primary key,
  seq bigint not null
);

-- Identity's part of a response (lock, unlock, revoke), queued in the transaction that applies or
-- lifts it and called after the commit, outside any transaction, retried with backoff.
create table sentinel.identity_call (
  id bigserial primary key,
  response_id text not null references sentinel.response (id),
  call text not null check (call in ('lock', 'unlock', 'revoke')),
  body jsonb not null,
  state text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  attempts integer not null default 0,
  last_error text,
  next_at timestamptz not null
);
create index identity_call_due on sentinel.identity_call (next_at) where state = 'pending';
