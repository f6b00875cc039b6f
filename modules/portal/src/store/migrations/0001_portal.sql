-- The portal's backend-for-frontend: a browser holds only an opaque cookie; the tokens identity
-- issued for it stay here, sealed (ctx.fields, additional data naming the column and the row).
-- Rows are found by a SHA-256 of the cookie's value, never by the value itself.

-- A sign-in started and not yet finished: what the callback checks (state) and proves (PKCE).
create table portal.login (
  id_hash text primary key,
  state text not null,
  code_verifier text not null,
  return_to text not null,
  created_at timestamptz not null default now()
);

create table portal.session (
  id_hash text primary key,
  account_id text not null,
  access_token text not null,
  refresh_token text,
  id_token text,
  access_expires_at timestamptz not null,
  csrf text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index session_account on portal.session (account_id);
