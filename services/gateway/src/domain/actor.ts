/** The caller as the services see it (structurally the @edu/grpc Actor). */
export interface Actor {
  accountId: string;
  personId?: string;
  schoolRoles: { schoolId: string; role: string }[];
  grants: string[];
}

/** What the gateway knows of a caller from the verified access token. */
export interface Caller {
  /** The token's `sub`: the Keycloak user id, which is the account id. */
  keycloakSub: string;
  /** The token's `esia_oid` claim when the user came through ESIA, else ''. */
  esiaOid: string;
}

/**
 * The gateway's own actor when it calls identity's ResolveActor: no person, no school, only the
 * grant identity checks. Signed like every actor, with the gateway's key.
 */
export const GATEWAY_SERVICE_ACTOR: Actor = {
  accountId: 'service:gateway',
  schoolRoles: [],
  grants: ['service:gateway'],
};
