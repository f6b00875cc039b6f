-- The private signing keys are sealed (ctx.fields: `tb1.…` text, not JSON). Rows from before are
-- converted to their JSON text here and sealed at the next start (identity's start).
alter table identity.signing_key alter column private_jwk type text using private_jwk::text;
