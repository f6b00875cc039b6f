-- Sign-in throttles (domain/throttle.ts), shared by every replica. Keys are HMACs of what they
-- count by (an address, a typed login, a login and address pair), so the table holds no ID
-- numbers or addresses in clear.
create table identity.sign_in_throttle (
  key text not null,
  factor text not null check (factor in ('password', 'code')),
  window_start timestamptz not null,
  failures integer not null default 0,
  -- a slowed login: when it last let an attempt through from an address it does not know
  slot_at timestamptz,
  -- a login and address pair: its lockout state (domain/lockout.ts)
  lock_state jsonb,
  primary key (key, factor)
);
create index sign_in_throttle_window on identity.sign_in_throttle (window_start);
