-- Ledger (存证): append-only logs as RFC 9162 Merkle trees. Entries and every complete subtree
-- hash are stored, so a root or a proof reads O(log n) rows at any size; checkpoints are signed
-- by the log and co-signed by witnesses.

create table ledger.log (
  id text primary key check (id ~ '^[a-z][a-z0-9-]{1,39}$'),
  origin text not null unique,                 -- the checkpoint's first line, e.g. tongban.example/audit
  hash_algorithm text not null check (hash_algorithm in ('sha256', 'sm3')),
  signature_algorithm text not null check (signature_algorithm in ('ed25519', 'sm2')),
  public_key text not null,
  signer_id text,                              -- SM2's distinguishing identifier
  size bigint not null default 0,
  root bytea not null,
  created_at timestamptz not null default now()
);

-- The entries, canonical JSON (RFC 8785) exactly as hashed.
create table ledger.entry (
  log_id text not null references ledger.log (id),
  idx bigint not null check (idx >= 0),
  body text not null,
  subject_id text,                             -- whose data the entry concerns (for "my records")
  appended_at timestamptz not null,
  primary key (log_id, idx)
);
create index entry_subject on ledger.entry (subject_id, log_id, idx) where subject_id is not null;

-- Complete subtrees: node (level, idx) covers leaves [idx·2^level, (idx+1)·2^level); level 0 is the leaf hash.
create table ledger.node (
  log_id text not null references ledger.log (id),
  level smallint not null check (level between 0 and 63),
  idx bigint not null check (idx >= 0),
  hash bytea not null,
  primary key (log_id, level, idx)
);

create table ledger.checkpoint (
  log_id text not null references ledger.log (id),
  size bigint not null,
  root bytea not null,
  issued_at timestamptz not null,
  body text not null,                          -- the signed text (domain/checkpoint.ts)
  signature text not null,
  primary key (log_id, size)
);

create table ledger.cosignature (
  log_id text not null,
  size bigint not null,
  witness text not null,
  key_id text not null,
  signature text not null,
  signed_at timestamptz not null,
  primary key (log_id, size, witness),
  foreign key (log_id, size) references ledger.checkpoint (log_id, size)
);

-- Entries waiting to be sequenced: written in a producer's transaction (exactly once with its
-- inbox row), taken in batches by the sequencer.
create table ledger.queue (
  seq bigserial primary key,
  log_id text not null references ledger.log (id),
  body text,                                   -- a ready entry, or
  event jsonb,                                 -- an event, made an entry when sequenced (keyed digests need the ledger's pepper)
  subject_id text,
  enqueued_at timestamptz not null default now(),
  check ((body is null) <> (event is null))
);

-- The witnesses this log asks to co-sign, with the keys a verifier checks their signatures against.
create table ledger.witness (
  name text primary key,
  algorithm text not null check (algorithm in ('ed25519', 'sm2')),
  public_key text not null,
  signer_id text,
  url text,                                    -- null: this process's own witness
  added_at timestamptz not null default now()
);

-- A witness's memory: the last checkpoint of each log it co-signed. What makes it refuse a fork.
create table ledger.witness_state (
  witness text not null,
  origin text not null,
  size bigint not null,
  root bytea not null,
  updated_at timestamptz not null default now(),
  primary key (witness, origin)
);

-- Nothing appended is ever changed by the application (verify detects what others do).
create function ledger.refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the ledger is append-only (% on %)', tg_op, tg_table_name;
end $$;
create trigger entry_append_only before update or delete on ledger.entry for each row execute function ledger.refuse_change();
create trigger node_append_only before update or delete on ledger.node for each row execute function ledger.refuse_change();
create trigger checkpoint_append_only before update or delete on ledger.checkpoint for each row execute function ledger.refuse_change();
