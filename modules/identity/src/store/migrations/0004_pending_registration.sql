-- A self-registered account is pending until the SMS code sent to its mobile is confirmed: it
-- cannot sign in, and once pending_until has passed another registration for the same ID may
-- replace it (so an unconfirmed registration cannot hold someone's ID hostage). Null: active.
alter table identity.account add column pending_until timestamptz;
