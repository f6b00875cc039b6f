-- The data hub (数据中台): the resource catalogue, the stored rows of each resource, grants,
-- consents and reveals. Personal data is never stored in clear: a row's items are one sealed
-- JSON value (ctx.fields, additional data 'datahub.record.data'), found through keyed blind indexes.

-- 政务数据资源目录: versioned like the catalog's matters; the definition is the domain's
-- ResourceDefinition (items bound to data elements, sharing type, level, update cycle, owner).
create table datahub.resource (
  code text primary key,
  latest integer not null,
  department_code text not null
);

create table datahub.resource_version (
  code text not null references datahub.resource (code),
  version integer not null,
  definition jsonb not null,
  published_by text not null,
  published_at timestamptz not null default now(),
  primary key (code, version)
);

-- One row of a resource, keyed by the blind index of its key item (an ID number, a credit code).
-- `lookup` holds '<item>=<blind index>' for every indexed item (a mother's ID number in a birth
-- record); `subjects` the person keys (pk-…) of the persons the row is about, for the ledger.
create table datahub.record (
  resource_code text not null references datahub.resource (code),
  record_key text not null,
  lookup text[] not null default '{}',
  subjects text[] not null default '{}',
  data text not null,
  source text not null,
  collected_at timestamptz not null,
  stored_at timestamptz not null default now(),
  tags text[] not null default '{}',
  batch_id text,
  primary key (resource_code, record_key)
);
create index record_lookup on datahub.record using gin (lookup);

-- 共享授权: consumer (a service client id, or a department code) × resource × purpose → items.
create table datahub.access_grant (
  id text primary key,
  consumer text not null,
  resource_code text not null references datahub.resource (code),
  purpose text not null,
  items text[] not null,
  granted_by text not null,
  granted_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_by text
);
create unique index access_grant_active on datahub.access_grant (consumer, resource_code, purpose)
  where revoked_at is null;

-- 授权同意: a person consents to specific items ('<resource>.<item>') for one purpose.
create table datahub.consent (
  id text primary key,
  account_id text not null,
  purpose text not null,
  items text[] not null,
  given_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index consent_active on datahub.consent (account_id, purpose) where revoked_at is null;

-- 查看明文: an officer revealing a masked value, with the reason (rate-limited by these rows).
create table datahub.reveal (
  id text primary key,
  officer_id text not null,
  resource_code text not null,
  record_key text not null,
  item text not null,
  reason text not null,
  revealed_at timestamptz not null default now()
);
create index reveal_by_officer on datahub.reveal (officer_id, revealed_at);
