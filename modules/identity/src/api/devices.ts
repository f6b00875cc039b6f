// The person's known devices (常用设备, service/known-devices.ts): the browsers whose sign-ins
// strangers' failures cannot hold back. Listed and forgotten by their owner — a lost laptop, a
// shared computer — like sessions (api/sessions.ts).
import type { HttpApp, ModuleContext } from '@tongban/kernel';
import Type from 'typebox';
import { IdentityError } from '../errors.ts';
import { knownDevicesOf, revokeKnownDevices } from '../store/known-devices.ts';
import { typed } from '../store/tables.ts';

const PEOPLE = ['citizen', 'business', 'officer', 'operator', 'security'] as const;
const tags = ['identity: sessions'];
const DeviceRef = Type.Object({ deviceId: Type.String({ format: 'uuid' }) });
const DeviceView = Type.Object({
  id: Type.String(),
  knownSince: Type.String({ format: 'date-time' }),
  lastSignIn: Type.String({ format: 'date-time' }),
  forgottenAt: Type.String({ format: 'date-time', description: 'Unless a multi-factor sign-in from it comes first' }),
});

export function deviceRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.get(
    '/me/devices',
    {
      config: { policy: { kinds: PEOPLE } },
      schema: { tags, summary: 'My known devices', response: { 200: Type.Array(DeviceView) } },
    },
    async (request) =>
      (await knownDevicesOf(typed(ctx.db), request.principal!.id, ctx.clock.now())).map((d) => ({
        id: d.id,
        knownSince: d.createdAt.toISOString(),
        lastSignIn: d.lastUsedAt.toISOString(),
        forgottenAt: d.expiresAt.toISOString(),
      })),
  );

  app.delete(
    '/me/devices/:deviceId',
    {
      config: { policy: { kinds: PEOPLE } },
      schema: { tags, summary: 'Forget one of my known devices', params: DeviceRef },
    },
    async (request, reply) => {
      const forgotten = await revokeKnownDevices(
        typed(ctx.db),
        request.principal!.id,
        ctx.clock.now(),
        request.params.deviceId,
      );
      if (forgotten === 0)
        throw new IdentityError('NOT_FOUND', {}, [
          { field: 'params.deviceId', code: 'not_found', message: 'no such device of yours' },
        ]);
      return reply.code(204).send();
    },
  );
}
