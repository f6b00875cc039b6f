-- The wallet credential (OpenID4VCI 1.0, pre-authorized code flow): each secret the protocol hands
-- out is kept only as its SHA-256 (a copy of the table gives no one a working code or token), is
-- short-lived, and the single-use ones are taken by one conditional update — two replicas racing
-- for the same code, nonce or DPoP proof cannot both win.

-- A credential offer's pre-authorized code: for one licence, to its holder, minutes, once.
create table licenses.wallet_offer (
  code_hash text primary key,
  licence_id text not null references licenses.licence (id),
  holder_id text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  check (expires_at > created_at)
);
create index wallet_offer_expiry on licenses.wallet_offer (expires_at);

-- An access token from the token endpoint: bound to the wallet's DPoP key (RFC 7638 thumbprint),
-- scoped to the one licence of the offer.
create table licenses.wallet_token (
  token_hash text primary key,
  licence_id text not null references licenses.licence (id),
  credential_configuration_id text not null,
  jkt text not null,
  expires_at timestamptz not null
);
create index wallet_token_expiry on licenses.wallet_token (expires_at);

-- A c_nonce from the nonce endpoint: a key proof names one, and it is taken once.
create table licenses.wallet_nonce (
  nonce_hash text primary key,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index wallet_nonce_expiry on licenses.wallet_nonce (expires_at);

-- The DPoP proofs seen (RFC 9449 §11.1), per key, until their iat window has passed: shared by
-- every replica, unlike a process's memory.
create table licenses.wallet_dpop_jti (
  jkt text not null,
  jti text not null,
  expires_at timestamptz not null,
  primary key (jkt, jti)
);
create index wallet_dpop_jti_expiry on licenses.wallet_dpop_jti (expires_at);
