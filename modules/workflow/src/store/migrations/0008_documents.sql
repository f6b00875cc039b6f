-- Documents (issue 12, uploads): the scans and photos a citizen or business uploads as materials,
-- referenced from an application's materials as `doc:<id>`. The bytes are sealed by the
-- application (ctx.fields, additional data `workflow.document_content.data:<id>`), in a table of
-- their own so that reading a document's metadata never reads its bytes.
create table workflow.document (
  id uuid primary key,
  owner_id text not null,                     -- the citizen or business account (applicantOf)
  media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
  name text not null check (char_length(name) between 1 and 200),
  size int not null check (size between 1 and 10485760),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null,
  -- set when a submitted application (or a correction, or materials sent later) first names it;
  -- an unconfirmed document counts towards the owner's quota and lapses (the document-lapse job)
  confirmed_at timestamptz
);
create index document_unconfirmed on workflow.document (owner_id, created_at) where confirmed_at is null;

create table workflow.document_content (
  document_id uuid primary key references workflow.document (id) on delete cascade,
  data text not null                          -- tb1.… : base64 of the bytes, sealed
);

-- Which applications name a document: an officer may open it when a task of their department is
-- on one of them. Written in the transaction that names it; kept when a correction replaces it
-- (what the officer saw stays reachable).
create table workflow.document_use (
  document_id uuid not null references workflow.document (id),
  application_id uuid not null references workflow.application (id),
  primary key (document_id, application_id)
);
create index document_use_application on workflow.document_use (application_id);
