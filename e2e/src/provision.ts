import * as grpc from '@grpc/grpc-js';
import { ActorSigner, createGrpcClient, type Actor } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/identity';
import type { TestUserProvisioner } from '@edu/testing';

// The region operator tests act as when they provision accounts (identity checks the grant).
const PROVISIONING_OPERATOR: Actor = {
  accountId: 'e2e-provisioning',
  schoolRoles: [],
  grants: ['regionOperator'],
};

/**
 * Provisions test users in the platform's identity service as a region operator would: links the
 * account to the person and gives each school role and grant explicitly. Returns the provisioner
 * and a `close` for the channel.
 */
export function identityProvisioner(
  identityAddress: string,
  actorKey: { kid: string; privateKeyPem: string },
): { provision: TestUserProvisioner; close(): void } {
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/identity/v1/identity.proto'),
  ) as unknown as ProtoGrpcType;
  const identity = createGrpcClient(proto.edu.identity.v1.IdentityService, identityAddress, {
    deadlineMs: 10_000,
    idempotentMethods: [],
  });
  const signer = new ActorSigner({ privateKey: actorKey.privateKeyPem, kid: actorKey.kid });
  const options = async () => ({ actorToken: await signer.sign(PROVISIONING_OPERATOR, {}) });
  const reason = 'Учётная запись для автоматической проверки';

  const provision: TestUserProvisioner = async (user, wanted) => {
    if (wanted.personId !== undefined) {
      await identity.LinkAccount(
        { account_id: user.id, person_id: wanted.personId, reason },
        await options(),
      );
    }
    for (const { schoolId, role } of wanted.schoolRoles ?? []) {
      await identity.GiveGrant({ account_id: user.id, role, scope_id: schoolId, reason }, await options());
    }
    for (const grant of wanted.grants ?? []) {
      const [role, scope = ''] = grant.split(':');
      await identity.GiveGrant(
        { account_id: user.id, role: role!, scope_id: scope, reason },
        await options(),
      );
    }
  };
  return { provision, close: () => identity.close() };
}
