-- 跨区域互认: the trust list of other regions' issuers, one row per version (history kept: every
-- version is the whole list as it was signed, with who made it and when), and this region's copies
-- of other regions' status lists with when they were fetched.

create table licenses.trust_list_version (
  version integer primary key check (version >= 1),
  -- The whole list at this version (contracts TrustEntry[]), and the JWS it was published as.
  entries jsonb not null,
  jws text not null,
  change text not null check (change in ('added', 'removed')),
  -- [{ region, issuer }] the change added or removed.
  changed jsonb not null,
  actor_kind text not null,
  actor_id text not null,
  at timestamptz not null
);

create function licenses.refuse_trust_change() returns trigger language plpgsql as $$
begin
  raise exception 'licenses.trust_list_version is append-only: a change makes a new version';
end $$;
create trigger trust_list_version_append_only before update or delete on licenses.trust_list_version
  for each row execute function licenses.refuse_trust_change();

-- Another region's status list as last fetched and verified: the copy a verification falls back to
-- when that region cannot be reached.
create table licenses.status_list_cache (
  url text primary key,
  jwt text not null,
  fetched_at timestamptz not null,
  -- The earlier of the list's validUntil and fetched_at + its ttl: refreshed after this.
  valid_until timestamptz not null
);
