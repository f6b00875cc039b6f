-- Imports (数据归集): one run per source file (or seed, or HTTP poll), resumable from its last
-- committed batch. A run is found again by its resource and the digest of its bytes: running the
-- same file again resumes where it stopped, or — once it completed — stores nothing new.
create table datahub.import_run (
  id text primary key,
  resource_code text not null references datahub.resource (code),
  source text not null,
  digest text not null,
  format text not null,
  encoding text not null,
  batch_size integer not null check (batch_size > 0),
  total_rows integer,
  -- Source rows (stored, unchanged, rejected or superseded alike) read through the last committed batch.
  committed_rows integer not null default 0,
  inserted integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  rejected integer not null default 0,
  duplicates integer not null default 0,
  status text not null check (status in ('running', 'completed')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  check ((status = 'completed') = (finished_at is not null))
);
create unique index import_run_file on datahub.import_run (resource_code, digest);

-- Every row an import did not store as read: rejected by a cleaning rule, or a duplicate key
-- (which row it superseded or was superseded by). Written in the same transaction as its batch.
create table datahub.import_reject (
  run_id text not null references datahub.import_run (id),
  row_number integer not null,
  line integer not null,
  kind text not null check (kind in ('rejected', 'duplicate')),
  item text not null,
  code text not null,
  reason text not null,
  primary key (run_id, row_number)
);

-- A keyed digest of a row's cleaned items (blind index 'row:<resource>'), so that a re-import
-- of an unchanged row is recognised without opening its ciphertext: such a row is not rewritten.
alter table datahub.record add column data_digest text;
