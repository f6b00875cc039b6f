-- Catalog (事项库): org tree, data-element dictionary, matters and bundles with immutable
-- published versions, working-day calendars and the search index.

create table catalog.region (
  code text primary key check (code ~ '^[0-9]{6}$'),          -- GB/T 2260 division code
  parent_code text references catalog.region (code),
  name_zh text not null,
  name_en text not null
);

create table catalog.department (
  code text primary key check (code ~ '^[0-9A-Za-z-]{2,40}$'),
  region_code text not null references catalog.region (code),
  parent_code text references catalog.department (code),
  name_zh text not null,
  name_en text not null,
  check (parent_code is distinct from code)
);
create index department_region on catalog.department (region_code);

create table catalog.data_element (
  id text primary key check (id ~ '^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$'),
  definition jsonb not null,
  updated_at timestamptz not null default now()
);

-- The working copy an operator edits; only a published version is ever used by an application.
create table catalog.matter (
  code text primary key,
  department_code text not null references catalog.department (code),
  draft jsonb not null,
  updated_at timestamptz not null default now()
);

create table catalog.matter_version (
  code text not null references catalog.matter (code),
  version int not null check (version > 0),
  content jsonb not null,                 -- the matter with the data elements its form used
  published_at timestamptz not null default now(),
  primary key (code, version)
);

create table catalog.bundle (
  code text primary key,
  draft jsonb not null,
  updated_at timestamptz not null default now()
);

create table catalog.bundle_version (
  code text not null references catalog.bundle (code),
  version int not null check (version > 0),
  content jsonb not null,                 -- pinned matter versions and the merged form
  published_at timestamptz not null default now(),
  primary key (code, version)
);

-- A published version is a promise to every application that pinned it: never changed.
create function catalog.refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'published catalog versions are immutable (% on %)', tg_op, tg_table_name;
end $$;
create trigger matter_version_immutable before update or delete on catalog.matter_version
  for each row execute function catalog.refuse_change();
create trigger bundle_version_immutable before update or delete on catalog.bundle_version
  for each row execute function catalog.refuse_change();

create table catalog.calendar (
  region_code text primary key references catalog.region (code),
  holidays text[] not null default '{}',   -- ISO dates of public holidays (法定节假日)
  workdays text[] not null default '{}',   -- ISO dates of weekend make-up working days (调休)
  updated_at timestamptz not null default now()
);

-- One row per published matter or bundle (its latest version), with segmented search terms.
create table catalog.search_entry (
  kind text not null check (kind in ('matter', 'bundle')),
  code text not null,
  version int not null,
  name_zh text not null,
  name_en text not null,
  department_code text,
  life_events text[] not null,
  terms text[] not null,                   -- every searchable word
  name_terms text[] not null,              -- the words of its names, which rank higher
  primary key (kind, code)
);
create index search_entry_terms on catalog.search_entry using gin (terms);
create index search_entry_life_events on catalog.search_entry using gin (life_events);
create index search_entry_department on catalog.search_entry (department_code);
