// The one place where errors become RFC 9457 problem+json. Clients get a stable `code`, a title
// in their language, and for bad input the fields at fault; never a stack trace.
import type { FastifyError, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/database.ts';
import { DomainError, findErrorSpec, interpolate, type FieldError } from '../errors.ts';
import { fieldErrorsFrom, MAX_FIELD_ERRORS, type ValidationIssue } from './validation.ts';

export type Lang = 'zh' | 'en';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: readonly FieldError[];
  /** RFC 9457 §3.2 extension members, e.g. the current state of a resource a 409 refers to. */
  [extension: string]: unknown;
}

/** An error already expressed as a problem, e.g. one answered by another module. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
    this.problem = problem;
  }
}

export function negotiateLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const ranked = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? 1);
      return { tag, q: Number.isNaN(q) ? 0 : q, i };
    })
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh';
}

export function problemFor(
  code: string,
  lang: Lang,
  params: Readonly<Record<string, string | number>> = {},
  errors?: readonly FieldError[],
): Problem {
  const spec = findErrorSpec(code) ?? findErrorSpec('INTERNAL')!;
  const title = interpolate(spec[lang], params);
  return {
    type: `urn:tongban:error:${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status: spec.status,
    code,
    ...(Object.keys(params).length > 0 ? { detail: title } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
  FST_ERR_BAD_URL: 'MALFORMED_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
};

const BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'NOT_READY',
};

export function toProblem(error: unknown, request: FastifyRequest, bodyLimit: number): Problem {
  const lang = negotiateLang(request.headers['accept-language']);
  let problem: Problem;
  if (error instanceof ProblemError) {
    problem = { ...error.problem };
  } else if (error instanceof DomainError) {
    problem = { ...error.extensions, ...problemFor(error.code, lang, error.params, error.errors) };
  } else if (isDatabaseUnavailable(error)) {
    problem = problemFor('DATABASE_UNAVAILABLE', lang);
  } else {
    const fe = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
    if (fe.validation) {
      problem = problemFor(
        'VALIDATION_FAILED',
        lang,
        {},
        fieldErrorsFrom(fe.validationContext ?? 'body', fe.validation, lang),
      );
      const total = (fe.validation as { total?: number }).total;
      if (total !== undefined) problem.errorCount = total;
    } else if (fe.code && FASTIFY_CODES[fe.code]) {
      const code = FASTIFY_CODES[fe.code]!;
      problem = problemFor(code, lang, code === 'BODY_TOO_LARGE' ? { limit: bodyLimit } : {});
    } else if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      problem = problemFor(BY_STATUS[fe.statusCode] ?? 'VALIDATION_FAILED', lang);
    } else {
      problem = problemFor('INTERNAL', lang);
    }
  }
  // The path names where it happened; an answer does not echo a 10 KB URL back.
  const path = request.url.split('?')[0] ?? '';
  return { ...capErrors(problem), instance: path.length > MAX_INSTANCE ? `${path.slice(0, MAX_INSTANCE)}…` : path };
}

const MAX_INSTANCE = 256;

function capErrors(problem: Problem): Problem {
  if (!problem.errors || problem.errors.length <= MAX_FIELD_ERRORS) return problem;
  return {
    ...problem,
    errors: problem.errors.slice(0, MAX_FIELD_ERRORS),
    errorCount: Math.max(problem.errors.length, Number(problem.errorCount ?? 0)),
  };
}
