-- 消息: the in-app inbox, one message per (notice, channel) with its delivery status, the
-- citizen's preferences, template versions, the development SMS sink, and department systems'
-- webhook subscriptions with their deliveries and dead letters.

-- What notices need that later events do not carry: an application's case number, applicant
-- and departments, from workflow.application.submitted.
create table notify.application (
  application_id text primary key,
  case_number text not null,
  applicant_id text not null,
  departments jsonb not null default '[]',
  matter_codes jsonb not null default '[]'
);

-- One notice per event (the inbox, 站内信); its text is rendered when read, in the reader's language.
create table notify.notice (
  id text primary key,
  event_id text not null unique,
  recipient_id text not null,
  kind text not null,
  application_id text,
  task_id text,
  params jsonb not null,
  created_at timestamptz not null,
  read_at timestamptz
);
create index notice_recipient on notify.notice (recipient_id, created_at desc);

-- One message per notice and channel (sms, email): the unique (event_id, channel) makes a
-- redelivered or replayed event queue nothing more.
create table notify.message (
  id text primary key,
  notice_id text not null references notify.notice (id),
  event_id text not null,
  channel text not null check (channel in ('sms', 'email')),
  recipient_id text not null,
  kind text not null,
  application_id text,
  status text not null check (status in ('queued', 'sent', 'delivered', 'failed')),
  attempts integer not null default 0,
  last_error text,
  not_before timestamptz,
  -- A worker took it until then: another does not take it meanwhile (a crash: taken again after it).
  lease_until timestamptz,
  provider text,
  provider_message_id text,
  to_masked text not null default '',
  text text not null default '',
  lang text not null default 'zh-CN',
  created_at timestamptz not null,
  sent_at timestamptz,
  delivered_at timestamptz,
  failed_at timestamptz,
  unique (event_id, channel)
);
create index message_due on notify.message (not_before) where status = 'queued';
create index message_recipient on notify.message (recipient_id, created_at desc);
create index message_provider on notify.message (provider, provider_message_id);

create table notify.preference (
  account_id text primary key,
  channels jsonb not null,
  quiet_start text,
  quiet_end text,
  language text not null check (language in ('zh-CN', 'en')),
  -- The e-mail address, sealed (ctx.fields, additional data 'notify.preference.email:<account>').
  email text,
  updated_at timestamptz not null
);

-- Every version of a template; the defaults (domain/templates.ts) are version 1, published at start.
create table notify.template (
  kind text not null,
  channel text not null,
  version integer not null check (version >= 1),
  subject jsonb,
  body jsonb not null,
  placeholders jsonb not null,
  created_at timestamptz not null,
  created_by text not null,
  published_at timestamptz,
  published_by text,
  primary key (kind, channel, version)
);

-- What the development SMS sink received (non-production only): the demo's phone.
create table notify.dev_sms (
  id text primary key,
  to_number text not null,
  text text not null,
  at timestamptz not null
);

create table notify.webhook_subscription (
  id text primary key,
  url text not null,
  kinds jsonb not null,
  department_code text not null,
  signing text not null check (signing in ('hmac-sha256', 'ed25519')),
  -- The signing key (the HMAC secret or the Ed25519 private key), sealed
  -- (ctx.fields, 'notify.webhook_subscription.key:<id>').
  key_sealed text not null,
  active boolean not null default true,
  created_at timestamptz not null,
  created_by text not null
);

-- One delivery per (event, subscription); retried on the schedule, then dead (a dead letter).
create table notify.webhook_delivery (
  id text primary key,
  event_id text not null,
  subscription_id text not null references notify.webhook_subscription (id),
  kind text not null,
  body text not null,
  status text not null check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz not null,
  first_attempt_at timestamptz,
  last_attempt_at timestamptz,
  delivered_at timestamptz,
  dead_at timestamptz,
  replayed_at timestamptz,
  unique (event_id, subscription_id)
);
create index webhook_delivery_due on notify.webhook_delivery (next_attempt_at) where status = 'pending';
