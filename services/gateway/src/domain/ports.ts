import type { CreateSchoolRequest } from '@edu/proto/dist/generated/edu/roster/v1/CreateSchoolRequest';
import type { CreateSchoolResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/CreateSchoolResponse';
import type { GetSchoolRequest } from '@edu/proto/dist/generated/edu/roster/v1/GetSchoolRequest';
import type { GetSchoolResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/GetSchoolResponse';
import type { ListSchoolsRequest } from '@edu/proto/dist/generated/edu/roster/v1/ListSchoolsRequest';
import type { ListSchoolsResponse__Output } from '@edu/proto/dist/generated/edu/roster/v1/ListSchoolsResponse';
import type { Actor } from './actor-from-claims';

/** What every call to a service carries besides the request. */
export interface UpstreamCallOptions {
  /** The signed actor (`x-edu-actor`), made for this request. */
  actorToken: string;
  traceId: string;
  /** The client's `Idempotency-Key`, for commands. */
  idempotencyKey?: string;
}

/** Roster as the gateway uses it; the gRPC client in production, a fake in unit tests. */
export interface RosterPort {
  createSchool(
    request: CreateSchoolRequest,
    options: UpstreamCallOptions,
  ): Promise<CreateSchoolResponse__Output>;
  getSchool(request: GetSchoolRequest, options: UpstreamCallOptions): Promise<GetSchoolResponse__Output>;
  listSchools(
    request: ListSchoolsRequest,
    options: UpstreamCallOptions,
  ): Promise<ListSchoolsResponse__Output>;
}

/** Signs the actor of one request (ActorSigner of @edu/grpc). */
export interface ActorSignerPort {
  sign(actor: Actor, options: { traceId?: string }): Promise<string>;
}
