// The kernel's public surface: the only way modules and apps reach shared runtime pieces.
export { loadConfig, redactedConfig, surfaceExposure, ConfigError, type Config, type Exposure } from './config.ts';
export { estimateTokenStrength, MIN_TOKEN_BITS, tokenWeakness } from './token-strength.ts';
export { createLogger, type Logger } from './logger.ts';
export {
  DomainError,
  defineErrors,
  interpolate as interpolateMessage,
  KernelErrors,
  moduleErrors,
  type ErrorTable,
  type KernelErrorCode,
  type ModuleErrorClass,
  type FieldError,
  type Message,
} from './errors.ts';
export { isUniqueViolation, openDatabase, type AnyKysely, type Database } from './db/database.ts';
export {
  FieldCipherError,
  isSealed,
  openFieldKeys,
  type FieldCipher,
  type FieldKeys,
  type FieldProfile,
  type RewrapResult,
} from './crypto/fields.ts';
export { localKeyManager, masterKeyId, type KeyManager } from './crypto/key-manager.ts';
export { keyedMac, type Mac } from './crypto/hmac.ts';
export { uuidv7, uuidv7Time } from './uuid.ts';
export { Batcher, type BatcherOptions } from './batch.ts';
export { migrate, readMigrations, MigrationError, type MigrationSource } from './db/migrations.ts';
export {
  appendToOutbox,
  type AnyTransaction,
  type EventEnvelope,
  type EventHandler,
  type ConsumerContext,
} from './bus/events.ts';
export { EventRefusedError, eventProblems } from './bus/event-catalog.ts';
export type { Bus } from './bus/bus.ts';
export {
  AccessDenied,
  ACR,
  anyOf,
  API_AUDIENCE,
  createJwtAuthenticator,
  definePolicies,
  DENIAL_CODES,
  describePolicy,
  operatorTokenAuthenticator,
  Policies,
  PRINCIPAL_KINDS,
  reachesResource,
  regionCovers,
  type Assurance,
  type Authenticator,
  type Denial,
  type DenialCode,
  type DenialReason,
  type DpopOptions,
  type GuardOptions,
  type JwtAuthenticator,
  type JwtAuthenticatorOptions,
  type MinimumAssurance,
  type Policy,
  type PolicyDescription,
  type Principal,
  type PrincipalKind,
  type PrincipalPolicy,
  type PublicPolicy,
  type ResourceScope,
  type RiskSignals,
  type TongbanClaim,
} from './guard.ts';
export { negotiateLang, problemFor, ProblemError, type Lang, type Problem } from './http/problem.ts';
export { findUnsafeText, findUnsafeUrlEncoded, unsafeTextCode, type UnsafeTextCode } from './http/unsafe-text.ts';
export { declaredRoutes, type DeclaredRoute, type HttpApp } from './http/server.ts';
export type { ForwardedAnswer, ForwardedRequest, ModuleClient, ModuleRequest } from './client.ts';
export {
  createServiceTokenSource,
  SERVICE_TOKEN_MARGIN_MS,
  serviceClientId,
  serviceKeyFromSecret,
  serviceKeySecretName,
  type ServiceKey,
  type ServiceTokenOptions,
  type ServiceTokenSource,
  type TokenEndpoint,
} from './auth/service-token.ts';
export {
  defineModule,
  findSplitWithoutBus,
  narrowTo,
  type TableNarrowing,
  orderModules,
  systemClock,
  type Clock,
  type ConsumerTable,
  type DraftEvent,
  type EventPublisher,
  type JobDefinition,
  type ModuleConsumer,
  type TransactionEvents,
  type ModuleContext,
  type ModuleDb,
  type ModuleDefinition,
  type ModuleTrx,
  type NoTables,
} from './module.ts';
export {
  startPlatform,
  migrationSources,
  openPlatformDatabase,
  VERSION,
  type Platform,
  type PlatformOptions,
} from './platform.ts';
export { ProblemDetails, LocalizedText } from './http/schemas.ts';
export { validateOverrides, WorkingCalendar, type Overrides as CalendarDays } from './working-days.ts';
export {
  creditCodeCheckChar,
  IDENTIFIER_CHECKS,
  isCalendarDate,
  isIsoDate,
  isValidCreditCode,
  isValidResidentId,
  residentIdCheckChar,
  type IdentifierCheck,
} from './identifiers.ts';
export { maskAddress, maskBankAccount, maskIdNumber, maskMobile, maskName } from './masks.ts';
export { compileDataPattern, findPatternError, re2RegExp } from './data-patterns.ts';
export { KEYWORD_MESSAGES } from './http/validation.ts';
export { SM2_DEFAULT_ID, sm2PrivateKeyFrom, sm2PublicKey, sm2Sign, sm2Verify, type Sm2Message } from './crypto/sm2.ts';
