// @edu/grpc: gRPC plumbing shared by the gateway and every service. Unary calls only.
export {
  ACTOR_AUDIENCE,
  ACTOR_ISSUER,
  ACTOR_TOKEN_TTL_SECONDS,
  ActorSigner,
  ActorVerificationError,
  ActorVerifier,
  generateDevActorKeys,
  readActorPublicKeys,
  writeActorKeys,
} from './actor';
export type {
  Actor,
  ActorKeys,
  ActorRejection,
  ActorSignerOptions,
  ActorVerifierOptions,
  SchoolRole,
} from './actor';
export { METADATA_KEYS } from './metadata';
export {
  PROTO_LOADER_OPTIONS,
  callOptionsFrom,
  createGrpcServer,
  deriveDeadline,
  grpcServerComponent,
} from './server';
export type { CallContext, GrpcServer, GrpcServerOptions, ServiceHandlers, UnaryHandler } from './server';
export { GrpcCallError, createGrpcClient, problemFromGrpcError } from './client';
export type { CallOptions, ClientConstructor, GrpcClientOptions, PromiseClient } from './client';
export { authorize, hasGrant, hasSchoolRole } from './policy';
export { authorizeWith, requestContext } from './call-context';
export type { AccessAttempt } from './policy';
