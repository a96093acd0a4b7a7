import * as grpc from '@grpc/grpc-js';
import { createGrpcClient } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/identity';
import type { Actor, Caller } from '../domain/actor';
import { GATEWAY_SERVICE_ACTOR } from '../domain/actor';
import type { ActorSignerPort, IdentityPort } from '../domain/ports';

export interface IdentityClientOptions {
  /** host:port of the identity service's gRPC server. */
  address: string;
  /** Deadline of one call, retries included. */
  deadlineMs: number;
}

/** The identity port over gRPC, plus `close()` for shutdown. */
export type IdentityClient = IdentityPort & { close(): void };

/**
 * The identity service's gRPC client. Reads (and ResolveActor, which at most links an account the
 * same way twice) are retried on UNAVAILABLE; commands only with the client's Idempotency-Key.
 */
export function createIdentityClient({ address, deadlineMs }: IdentityClientOptions): IdentityClient {
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/identity/v1/identity.proto'),
  ) as unknown as ProtoGrpcType;
  return createGrpcClient(proto.edu.identity.v1.IdentityService, address, {
    deadlineMs,
    idempotentMethods: [
      'ResolveActor',
      'GetMe',
      'ListLinkCandidates',
      'ListGrants',
      'ListTemporaryLogins',
      'ListAccountDeadlines',
      'ListLoginAudit',
    ],
  });
}

/** ResolveActor as the gateway's service actor, its answer as the actor services get. */
export function actorResolver(identity: Pick<IdentityPort, 'ResolveActor'>, signer: ActorSignerPort) {
  return async (caller: Caller): Promise<Actor> => {
    const resolved = await identity.ResolveActor(
      { keycloak_sub: caller.keycloakSub, esia_oid: caller.esiaOid },
      { actorToken: await signer.sign(GATEWAY_SERVICE_ACTOR, {}) },
    );
    return {
      accountId: resolved.account_id || caller.keycloakSub,
      ...(resolved.person_id ? { personId: resolved.person_id } : {}),
      schoolRoles: resolved.school_roles.map((r) => ({ schoolId: r.school_id, role: r.role })),
      grants: [...resolved.grants],
    };
  };
}
