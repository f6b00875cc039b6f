// Enrolling and removing a passkey, each committing with its identity.mfa.changed event.
import type { ModuleContext } from '@tongban/kernel';
import { IdentityError } from '../errors.ts';
import { deletePasskey, insertPasskey, passkeyExists } from '../store/passkeys.ts';
import { typed } from '../store/tables.ts';

/** Stores a verified credential for the account; IDENTITY_PASSKEY_REJECTED when its id is registered already. */
export async function enrolPasskey(
  ctx: ModuleContext,
  accountId: string,
  credential: { id: string; publicKey: Uint8Array; counter: number; transports?: string[] | undefined },
): Promise<void> {
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      if (await passkeyExists(trx, credential.id)) throw new IdentityError('IDENTITY_PASSKEY_REJECTED');
      await insertPasskey(trx, {
        id: credential.id,
        accountId,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports ?? [],
      });
      await ctx.events.publish(trx, 'identity.mfa.changed', {
        accountId,
        factor: 'passkey',
        change: 'enrolled',
        credentialId: credential.id,
      });
    });
}

/** NOT_FOUND when the account has no passkey by that id. */
export async function removePasskey(ctx: ModuleContext, accountId: string, credentialId: string): Promise<void> {
  await typed(ctx.db)
    .transaction()
    .execute(async (trx) => {
      if (!(await deletePasskey(trx, accountId, credentialId))) throw new IdentityError('NOT_FOUND');
      await ctx.events.publish(trx, 'identity.mfa.changed', {
        accountId,
        factor: 'passkey',
        change: 'removed',
        credentialId,
      });
    });
}
