// The page a person sees at the server's root (and at /portal/ until the web app serves it):
// what runs here, where the API and its documents are, and how to sign in — so `npm start` gives
// something to open without reading the source. zh-CN by default, English by Accept-Language.
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { Policies } from '../auth/policy.ts';
import type { HttpApp } from './server.ts';
import { negotiateLang, type Lang } from './problem.ts';

export interface WelcomeOptions {
  readonly config: Config;
  readonly modules: readonly { readonly name: string; readonly title: { readonly zh: string; readonly en: string } }[];
  /** Whether the API documents are open to anyone (TONGBAN_HTTP_DOCS=public). */
  readonly docsPublic: boolean;
  /** The issuer, once the server listens (identity's `http://localhost:<port>` in development). */
  readonly origin: () => string;
}

/** The development client identity registers outside production (a public client with PKCE). */
const DEV_CLIENT = 'tongban-dev';

const TEXT = {
  zh: {
    title: '通办 — 一网通办政务服务平台',
    lead: '这是通办平台的服务端。市民门户、工作人员工作台和管理控制台的网页正在建设中；现在可以通过 API 办事。',
    modules: '本进程运行的模块',
    api: 'API 前缀',
    docs: 'API 文档（可在浏览器中试用）',
    docsClosed: 'API 文档只对运营人员开放。',
    discovery: 'OpenID Connect 发现文档',
    signIn: '登录并调用 API',
    demo: '启动时终端打印了演示账号（市民、企业、各部门工作人员、运营人员）及其密码和动态口令密钥。',
    step1: '在浏览器中打开此链接，用演示账号登录：',
    step2:
      '登录后浏览器会跳到 http://localhost/callback?code=…（页面打不开是正常的），复制地址栏中的 code，在 60 秒内运行：',
    step3: '用返回的 access_token 调用 API：',
    noDev: '生产环境没有开发客户端：请使用已登记的客户端。',
    readme: '详细步骤见 README 的 “Sign in and call the API” 一节。',
    health: '健康检查',
  },
  en: {
    title: 'Tongban — one-stop government services',
    lead: 'This is the Tongban platform server. The web pages for citizens, officers and operators are still being built; today you use the platform through its API.',
    modules: 'Modules running in this process',
    api: 'API prefix',
    docs: 'API documents (try them in the browser)',
    docsClosed: 'The API documents are open to operators only.',
    discovery: 'OpenID Connect discovery',
    signIn: 'Sign in and call the API',
    demo: 'At start the terminal printed the demo accounts (citizens, a business, an officer per department, operators) with their passwords and TOTP secrets.',
    step1: 'Open this link in a browser and sign in with a demo account:',
    step2:
      'The browser then goes to http://localhost/callback?code=… (that page not loading is expected): copy the code from the address bar and within 60 seconds run:',
    step3: 'Call the API with the access_token it returns:',
    noDev: 'Production has no development client: use a registered client.',
    readme: "The README's “Sign in and call the API” section has the details.",
    health: 'Health',
  },
} as const satisfies Record<Lang, Record<string, string>>;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page; a fresh PKCE pair each time, so the commands shown are ready to paste. */
export function welcomePage(lang: Lang, options: WelcomeOptions): string {
  const t = TEXT[lang];
  const origin = options.origin();
  const modules = options.modules
    .map(
      (m) =>
        `<li><strong>${escape(m.title[lang])}</strong> (${escape(m.name)}) — ${t.api} <code>/api/${escape(m.name)}/</code></li>`,
    )
    .join('');
  const hasIdentity = options.modules.some((m) => m.name === 'identity');
  let signIn = '';
  if (hasIdentity && options.config.env !== 'production') {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirect = 'http://localhost/callback';
    const auth = `${origin}/oidc/auth?${new URLSearchParams({
      client_id: DEV_CLIENT,
      response_type: 'code',
      scope: 'openid offline_access api',
      redirect_uri: redirect,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })}`;
    const exchange = `curl -s ${origin}/oidc/token -d grant_type=authorization_code -d client_id=${DEV_CLIENT} -d redirect_uri=${redirect} -d code_verifier=${verifier} -d code=PASTE_THE_CODE`;
    const call = `curl -s -H "Authorization: Bearer PASTE_THE_ACCESS_TOKEN" ${origin}/api/workflow/applications`;
    signIn =
      `<p>${t.demo}</p><ol><li>${t.step1}<br><a href="${escape(auth)}">${escape(auth)}</a></li>` +
      `<li>${t.step2}<pre>${escape(exchange)}</pre></li><li>${t.step3}<pre>${escape(call)}</pre></li></ol>`;
  } else if (hasIdentity) {
    signIn = `<p>${t.noDev}</p>`;
  }
  const docs = options.docsPublic ? `<li><a href="/api/docs">${t.docs}</a></li>` : `<li>${t.docsClosed}</li>`;
  return (
    `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${t.title}</title><style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.6}pre{white-space:pre-wrap;word-break:break-all;background:#f3f2f1;padding:.5rem}a{color:#1d70b8}</style></head>` +
    `<body><main><h1>${t.title}</h1><p>${t.lead}</p><h2>${t.modules}</h2><ul>${modules}</ul><ul>${docs}` +
    `${hasIdentity ? `<li><a href="/.well-known/openid-configuration">${t.discovery}</a></li>` : ''}<li><a href="/healthz">${t.health}</a></li></ul>` +
    `${hasIdentity ? `<h2>${t.signIn}</h2>${signIn}<p>${t.readme}</p>` : ''}</main></body></html>`
  );
}

export function registerWelcome(app: HttpApp, options: WelcomeOptions): void {
  const route = { config: { policy: Policies.public }, schema: { hide: true } } as const;
  const handler = async (
    request: { headers: Record<string, string | string[] | undefined> },
    reply: { header(k: string, v: string): unknown; type(t: string): unknown },
  ) => {
    const accept = request.headers['accept-language'];
    void reply.header('cache-control', 'no-store');
    void reply.type('text/html; charset=utf-8');
    return welcomePage(negotiateLang(typeof accept === 'string' ? accept : undefined), options);
  };
  for (const url of ['/', '/portal/']) {
    try {
      app.get(url, route, handler);
    } catch (error) {
      // A module serves this page (the portal, once the web app is built): it stays theirs.
      if ((error as { code?: string }).code !== 'FST_ERR_DUPLICATED_ROUTE') throw error;
    }
  }
}
