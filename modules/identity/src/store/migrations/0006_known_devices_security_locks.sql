-- Known devices (常用设备): a browser that finished a multi-factor sign-in to an account holds a
-- random token in an HttpOnly cookie; only the token's SHA-256 is kept. Its password attempts at
-- that account skip the per-address and per-login throttles and count on the device's own lockout
-- (service/known-devices.ts). Revoked by the person, by a counter recovery, or by expiry.
create table identity.known_device (
  id uuid primary key,
  account_id uuid not null references identity.account (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null,
  last_used_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index known_device_account on identity.known_device (account_id);

-- Security locks (安全锁定) placed and lifted by security operations: appended, never overwritten;
-- an account's newest row is its state (a lock holds while `until` is ahead).
create table identity.security_lock (
  id bigint generated always as identity primary key,
  account_id uuid not null references identity.account (id) on delete cascade,
  action text not null check (action in ('lock', 'unlock')),
  until timestamptz,
  reason text not null check (length(reason) between 1 and 500),
  alert_id text,
  actor text not null,
  at timestamptz not null,
  check ((action = 'lock') = (until is not null))
);
create index security_lock_account on identity.security_lock (account_id, id desc);
