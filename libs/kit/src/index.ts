// @edu/kit: the plumbing every service needs in the same way. No domain code here.
export {
  CONFIG_EXIT_CODE,
  ConfigError,
  LOG_LEVELS,
  bool,
  csv,
  durationMs,
  kafkaSettings,
  loadConfig,
  loadConfigOrExit,
  logLevel,
  port,
  topicPrefix,
  url,
} from './config';
export type { ConfigIssue, LogLevel } from './config';
export { currentContext, runWithContext } from './context';
export { addDays, daysBetween, formatDate, isDate, localDate } from './days';
export type { RequestContext } from './context';
export { REDACTED, REDACTED_KEYS, REDACTED_PATHS, createLogger } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { LATENCY_BUCKETS, createMetrics } from './metrics';
export type { GrpcObservation, HttpObservation, Metrics } from './metrics';
export { opsComponent, startOpsServer } from './ops-server';
export { createPeriodicJobs } from './periodic';
export type { PeriodicJobs } from './periodic';
export type { OpsComponent, OpsServer, OpsServerOptions, ReadinessCheck } from './ops-server';
export { Lifecycle, runService } from './lifecycle';
export type { Component, LifecycleOptions, RunServiceOptions, ShutdownOutcome } from './lifecycle';
export {
  DEFAULT_TITLES,
  DomainError,
  ERROR_KINDS,
  GRPC_STATUS,
  GRPC_TO_HTTP,
  KIND_TO_GRPC,
  PROBLEM_TYPE_BASE,
  conflict,
  forbidden,
  grpcStatusName,
  grpcToHttpStatus,
  invalid,
  isErrorKind,
  notFound,
  precondition,
  problemForGrpcStatus,
  rateLimited,
  toProblem,
  unauthenticated,
  unavailable,
} from './errors';
export type { DomainErrorData, ErrorKind, FieldError, GrpcStatusName, Problem } from './errors';
