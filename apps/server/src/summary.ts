import { VERSION, redactedConfig, surfaceExposure, type Exposure, type Platform } from '@tongban/kernel';

const SAID: Record<Exposure, string> = { public: 'public', operator: 'operators only', off: 'off' };

/** The one-screen start summary: what runs, where, on what; secrets redacted. */
export function startSummary(platform: Platform, address: string, startedInMs: number): string {
  const { config, database, bus, modules, secrets } = platform;
  const url = config.publicUrl ?? address.replace('://127.0.0.1', '://localhost');
  const shape =
    database.kind === 'embedded'
      ? 'embedded (内嵌)'
      : bus.driver.name === 'nats'
        ? 'cluster-ready (PostgreSQL + NATS)'
        : 'single node (PostgreSQL)';
  const settings = redactedConfig(config);
  const exposure = surfaceExposure(config);
  const lines = [
    '',
    `  通办 Tongban v${VERSION} — ready in ${startedInMs} ms on Node.js ${process.version}`,
    '',
    `  URL          ${url}`,
    // The web app first: what a person opens, and where each kind of user goes.
    ...(modules.some((m) => m.name === 'portal')
      ? [
          `  portal       ${url}/ citizens 市民, ${url}/workbench officers 工作人员, ${url}/console operators 运营, ${url}/security security operators 安全运营, ${url}/payments 我的缴费, ${url}/console/sms-sink 短信沙箱 (development SMS); sign in with a demo account below`,
        ]
      : []),
    ...(exposure.docs === 'off' ? [] : [`  API docs     ${url}/api/docs`]),
    `  shape        ${shape}`,
    `  modules      ${modules.map((m) => `${m.name} (${m.title.zh})`).join(', ')}`,
    `  database     ${database.kind === 'embedded' ? `${config.dataDir}/pg` : String(settings.databaseUrl)}`,
    `  event bus    ${bus.driver.name === 'nats' ? String(settings.natsUrl) : 'in-process (outbox + durable local queue)'}`,
    `  environment  ${config.env}, log level ${config.logLevel}`,
    // What anyone on the network can read without a token, and how to close it.
    `  surfaces     /metrics ${SAID[exposure.metrics]} (TONGBAN_HTTP_METRICS), /api/docs and /api/openapi.json ${SAID[exposure.docs]} (TONGBAN_HTTP_DOCS); public|operator|off`,
  ];
  if (database.kind === 'embedded' && secrets.generated.includes('operator-token')) {
    lines.push(
      `  operator     Authorization: Bearer ${secrets.operatorToken}   (development token in ${config.dataDir}/keys)`,
    );
  }
  if (database.kind === 'embedded') for (const note of platform.seedNotes) lines.push(`  ${note}`);
  lines.push('');
  return lines.join('\n');
}
