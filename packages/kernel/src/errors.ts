// Domain errors with stable codes. Every code is declared once in an error table (kernel's below,
// each module's in its own errors.ts) with its HTTP status and its message in zh-CN and English;
// the HTTP layer (http/problem.ts) turns them into RFC 9457 problem+json in one place.

export interface Message {
  readonly zh: string;
  readonly en: string;
}

export interface ErrorSpec extends Message {
  readonly status: number;
}

export type ErrorTable = Readonly<Record<string, ErrorSpec>>;

/** One invalid field, for problem+json `errors[]`: a JSON-pointer-like dotted path and a code. */
export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

const registry = new Map<string, ErrorSpec>();

/** Declares a table of error codes; a code declared twice with a different meaning is a bug. */
export function defineErrors<const T extends ErrorTable>(table: T): T {
  for (const [code, spec] of Object.entries(table)) {
    const known = registry.get(code);
    if (known && (known.status !== spec.status || known.en !== spec.en)) {
      throw new Error(`error code ${code} is declared twice with different meanings`);
    }
    registry.set(code, spec);
  }
  return table;
}

export function findErrorSpec(code: string): ErrorSpec | undefined {
  return registry.get(code);
}

export class DomainError extends Error {
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly errors: readonly FieldError[];
  /** Extra members for the problem document (RFC 9457 §3.2); never personal data. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    params: Record<string, string | number> = {},
    errors: readonly FieldError[] = [],
    extensions: Record<string, unknown> = {},
  ) {
    const spec = registry.get(code);
    super(spec ? interpolate(spec.en, params) : code);
    this.name = 'DomainError';
    this.code = code;
    this.params = params;
    this.errors = errors;
    this.extensions = extensions;
  }

  get status(): number {
    return registry.get(this.code)?.status ?? 500;
  }
}

export function interpolate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

export const KernelErrors = defineErrors({
  VALIDATION_FAILED: { status: 400, zh: '请求内容不符合要求', en: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, zh: '请求正文不是有效的 JSON', en: 'The request body is not valid JSON' },
  BODY_TOO_LARGE: {
    status: 413,
    zh: '请求正文过大（上限 {limit} 字节）',
    en: 'The request body is too large (limit {limit} bytes)',
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  NOT_FOUND: { status: 404, zh: '找不到请求的资源', en: 'The requested resource was not found' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不允许的请求方法', en: 'Method not allowed' },
  UNAUTHENTICATED: { status: 401, zh: '需要登录', en: 'Authentication is required' },
  FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'You are not allowed to do this' },
  // The guard's refusals (guard.ts); 401s carry a WWW-Authenticate challenge.
  TOKEN_INVALID: { status: 401, zh: '登录凭证无效，请重新登录', en: 'The access token is not valid; sign in again' },
  TOKEN_EXPIRED: { status: 401, zh: '登录凭证已过期，请重新登录', en: 'The access token has expired; sign in again' },
  TOKEN_NOT_FOR_API: {
    status: 401,
    zh: '此令牌不是本平台接口的访问令牌（可能是 ID 令牌或仅用于用户信息的令牌）：请在授权或令牌请求中加入 resource=urn:tongban:api（RFC 8707）以获取接口访问令牌',
    en: 'This token is not an access token for the platform API (it may be an ID token or one for userinfo only): ask for resource=urn:tongban:api in the authorization or token request (RFC 8707) to get one',
  },
  DPOP_PROOF_INVALID: { status: 401, zh: '缺少有效的 DPoP 证明', en: 'A valid DPoP proof is required' },
  STEP_UP_REQUIRED: { status: 401, zh: '此操作需要多因素认证', en: 'This needs multi-factor authentication' },
  FORBIDDEN_RESOURCE: { status: 403, zh: '无权访问此资源', en: 'You are not allowed to reach this resource' },
  ADDRESS_BLOCKED: { status: 403, zh: '来自此地址的访问已被阻止', en: 'Access from this address is blocked' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  REQUEST_TIMEOUT: { status: 408, zh: '请求超时', en: 'The request timed out' },
  MALFORMED_URL: { status: 400, zh: '请求地址的编码不正确', en: 'The request URL is not validly encoded' },
  MALFORMED_REQUEST: { status: 400, zh: '请求格式不正确', en: 'The request is malformed' },
  URI_TOO_LONG: { status: 414, zh: '请求地址过长', en: 'The request URL is too long' },
  HEADERS_TOO_LARGE: { status: 431, zh: '请求头过大', en: 'The request headers are too large' },
  NOT_READY: { status: 503, zh: '服务尚未就绪', en: 'The service is not ready' },
  SERVER_BUSY: { status: 503, zh: '服务繁忙，请稍后重试', en: 'The server is busy; try again shortly' },
  DATABASE_UNAVAILABLE: {
    status: 503,
    zh: '数据库暂时不可用，请稍后重试',
    en: 'The database is unavailable for a moment; try again shortly',
  },
  UPSTREAM_UNAVAILABLE: { status: 502, zh: '依赖的服务 {module} 不可用', en: 'The service {module} is unavailable' },
  UPSTREAM_CONTRACT_BROKEN: {
    status: 502,
    zh: '依赖的服务 {module} 的应答不符合约定（{path}）',
    en: 'The service {module} answered {path} with a shape its contract does not allow',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
});

export type KernelErrorCode = keyof typeof KernelErrors;

/** The constructor of a module's own DomainError: a code of its table or the kernel's, nothing else. */
export type ModuleErrorClass<T extends ErrorTable> = new (
  code: (keyof T & string) | KernelErrorCode,
  params?: Record<string, string | number>,
  errors?: readonly FieldError[],
  extensions?: Record<string, unknown>,
) => DomainError;

/**
 * A module's error class, typed by its table: `new WorkflowError('WORKFLOW_TYPO')` does not
 * compile. It is DomainError itself (instanceof, the HTTP layer's problem+json), only narrowed;
 * modules raise errors through it, not through DomainError (a lint rule holds them to it).
 */
export function moduleErrors<const T extends ErrorTable>(_table: T): ModuleErrorClass<T> {
  return DomainError;
}
