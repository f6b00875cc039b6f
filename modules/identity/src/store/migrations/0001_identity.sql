-- Identity (统一身份认证): accounts and their credentials, sessions, OpenID provider storage,
-- signing keys and registered clients.

create table identity.account (
  id uuid primary key,
  kind text not null check (kind in ('citizen', 'business', 'officer', 'operator', 'security')),
  -- what the person types to sign in: resident ID (citizen), credit code (business), user name (staff)
  login text not null unique,
  display_name text not null,
  mobile text,
  password_hash text,
  totp_secret text,
  totp_pending_secret text,                -- an enrolment started and not yet confirmed
  totp_last_step bigint,
  roles text[] not null default '{}',
  departments text[] not null default '{}',
  regions text[] not null default '{}',
  -- a business is represented by a citizen account (法定代表人)
  legal_representative uuid references identity.account (id),
  lock_state jsonb not null default '{"failures": 0, "lockCount": 0}',
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  check (kind <> 'business' or legal_representative is not null)
);

-- citizens authorised to act for a business (经办人)
create table identity.agent (
  business_id uuid not null references identity.account (id),
  citizen_id uuid not null references identity.account (id),
  granted_at timestamptz not null default now(),
  primary key (business_id, citizen_id)
);

create table identity.webauthn_credential (
  id text primary key,
  account_id uuid not null references identity.account (id),
  public_key bytea not null,
  counter bigint not null default 0,
  transports text[] not null default '{}',
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index webauthn_credential_account on identity.webauthn_credential (account_id);

-- a WebAuthn challenge handed out and not yet answered: by account (enrolling a passkey) or by
-- sign-in interaction uid (signing in with one); taken out when answered, so it works once
create table identity.webauthn_challenge (
  subject text not null,
  purpose text not null check (purpose in ('register', 'sign-in')),
  challenge text not null,
  expires_at timestamptz not null,
  primary key (subject, purpose)
);

create table identity.one_time_code (
  account_id uuid not null references identity.account (id),
  purpose text not null,
  record jsonb not null,
  primary key (account_id, purpose)
);

-- everything oidc-provider persists: sessions, grants, codes, tokens, interactions
create table identity.oidc_model (
  model text not null,
  id text not null,
  payload jsonb not null,
  grant_id text,
  uid text,
  user_code text,
  account_id text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (model, id)
);
create index oidc_model_grant on identity.oidc_model (grant_id) where grant_id is not null;
create index oidc_model_uid on identity.oidc_model (uid) where uid is not null;
create index oidc_model_account on identity.oidc_model (model, account_id) where account_id is not null;
create index oidc_model_expiry on identity.oidc_model (expires_at);

-- relying parties: department systems and the platform's own apps, registered by operators
create table identity.client (
  client_id text primary key,
  metadata jsonb not null,
  -- the kind and roles a client-credentials token carries
  roles text[] not null default '{}',
  created_at timestamptz not null default now()
);

-- ES256 keys that sign tokens; the newest active one signs, retired ones stay published a while
create table identity.signing_key (
  kid text primary key,
  private_jwk jsonb not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz
);

-- the factors a sign-in in progress has passed, by interaction (password first, then a second factor)
create table identity.sign_in_step (
  uid text primary key,
  account_id uuid not null references identity.account (id),
  factors text[] not null,
  second_factor text not null check (second_factor in ('totp', 'sms', 'passkey')),
  expires_at timestamptz not null
);

-- the development SMS driver's outbox: what a real gateway would have sent, for the demo to show
create table identity.dev_sms (
  id bigserial primary key,
  mobile text not null,
  text text not null,
  sent_at timestamptz not null default now()
);
