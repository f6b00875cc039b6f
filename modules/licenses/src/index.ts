// 电子证照 — electronic licences (issue 13): issued on completion, scan-to-verify codes, status
// lists, cross-region trust, licences instead of paper materials (免证办). Being built; not yet
// registered with the server (apps/server/src/modules.ts).
import { defineModule } from '@tongban/kernel';

export default defineModule({
  name: 'licenses',
  title: { zh: '电子证照', en: 'Licences' },
});
