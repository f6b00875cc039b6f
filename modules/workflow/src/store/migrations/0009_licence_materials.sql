-- 免证办 (issue 13): materials an electronic licence stands in for, with where each came from.
-- A row is written at submission for every material the applicant did not upload because a
-- licence stands in for it: either one a prerequisite task of this case will issue (source
-- 'case': identifier null until licenses.licence.issued fills it in), or one the holder already
-- has and consented to use (source 'holder': checked with the licences module at submission).
-- One row per application and material code: a redelivered event finds the row filled and
-- changes nothing.
create table workflow.licence_material (
  application_id uuid not null references workflow.application (id),
  code text not null,                         -- the material's code in the matters' checklists
  type_code text not null,                    -- the licence type that satisfies it (the catalog's licenceType)
  type_name jsonb not null,                   -- { zh, en }: as the producing matter or the licences module names it
  source text not null check (source in ('case', 'holder')),
  produced_by text,                           -- 'case': the matter code whose task issues the licence
  identifier text,                            -- GB/T 36904 identifier, once known
  licence_id text,
  issued_by_task uuid references workflow.task (id),
  verified_at timestamptz,                    -- when the licences module vouched for it
  status text not null default 'valid',       -- the licence's status as last heard (licenses.licence.status-changed)
  status_at timestamptz,
  primary key (application_id, code),
  check ((identifier is null) = (verified_at is null)),
  check (source = 'case' or identifier is not null)
);
create index licence_material_licence on workflow.licence_material (licence_id) where licence_id is not null;
create index licence_material_awaiting on workflow.licence_material (application_id, type_code) where identifier is null;
