// The bundled payment-channel simulator (apps/paysim) mounted at /paysim when the payments
// channel is the simulator (TONGBAN_PAYMENTS_CHANNEL unset or `simulator`, outside production:
// the payments module refuses it in production, and nothing is mounted there). A module of the
// composition root only for where it hooks in — it has no tables, routes under /api or events;
// its books are kept in the data directory so a restarted server still knows the trades it took.
import { join } from 'node:path';
import { defineModule } from '@tongban/kernel';
import { paysim } from '@tongban/paysim';

export const paysimModule = defineModule({
  name: 'paysim',
  title: { zh: '支付通道模拟器', en: 'Payment channel simulator' },
  dependsOn: ['payments'],
  async rootRoutes(app, ctx) {
    const channel = ctx.config.payments.channel ?? 'simulator';
    if (ctx.config.env === 'production' || channel !== 'simulator' || ctx.config.payments.channelUrl) return;
    await app.register(paysim({ stateFile: join(ctx.config.dataDir, 'paysim', 'books.json') }), { prefix: '/paysim' });
  },
});
