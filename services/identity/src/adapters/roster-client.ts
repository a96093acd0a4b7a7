import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ActorSigner, createGrpcClient, type Actor } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType as GuardianshipProtoGrpcType } from '@edu/proto/dist/generated/guardianship';
import type { ProtoGrpcType as PeopleProtoGrpcType } from '@edu/proto/dist/generated/people';
import type { Guardianship } from '@edu/proto/dist/generated/edu/roster/v1/Guardianship';
import type { RosterGuardianshipRef, RosterPort } from '../domain/ports';

// Roster's PeopleService.MatchPeople and GuardianshipService.LinkGuardian/UnlinkGuardian, called
// with identity's own service actor (grant `service:identity`), signed with identity's key.

/** Identity's actor towards roster. */
export const IDENTITY_SERVICE_ACTOR: Actor = {
  accountId: 'service:identity',
  schoolRoles: [],
  grants: ['service:identity'],
};

export interface RosterClientOptions {
  /** host:port of roster's gRPC server. */
  address: string;
  /** PKCS#8 PEM of identity's actor key (EC P-256). */
  privateKeyPem: string;
  keyId: string;
  deadlineMs?: number;
}

export type RosterClient = RosterPort & { close(): void };

function guardianshipRef(g: Guardianship | null | undefined): RosterGuardianshipRef {
  return {
    id: g?.id ?? '',
    schoolId: g?.school_id ?? '',
    guardianId: g?.guardian_id ?? '',
    studentId: g?.student_id ?? '',
    kind: g?.kind ?? '',
    status: g?.status ?? '',
    consentActive: g?.consent_active ?? false,
    version: Number(g?.version ?? 0),
  };
}

export function createRosterClient({
  address,
  privateKeyPem,
  keyId,
  deadlineMs = 5000,
}: RosterClientOptions): RosterClient {
  const signer = new ActorSigner({ privateKey: privateKeyPem, kid: keyId });
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/roster/v1/people.proto', 'edu/roster/v1/guardianship.proto'),
  ) as unknown as PeopleProtoGrpcType & GuardianshipProtoGrpcType;
  const people = createGrpcClient(proto.edu.roster.v1.PeopleService, address, {
    deadlineMs,
    idempotentMethods: ['MatchPeople'],
  });
  const guardianships = createGrpcClient(proto.edu.roster.v1.GuardianshipService, address, { deadlineMs });
  const options = async (idempotencyKey?: string) => ({
    actorToken: await signer.sign(IDENTITY_SERVICE_ACTOR),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  return {
    async matchPeople(criteria) {
      const response = await people.MatchPeople(
        {
          snils: criteria.snils ?? '',
          birth_certificate: criteria.birthCertificate ?? { series: '', number: '' },
          birth_date: criteria.birthDate ?? '',
          last_name: criteria.lastName ?? '',
          first_name: criteria.firstName ?? '',
          middle_name: criteria.middleName ?? '',
          kind: criteria.kind ?? '',
        },
        await options(),
      );
      return (response.matches ?? []).map((m) => ({
        personId: m.person_id ?? '',
        schoolId: m.school_id ?? '',
        kind: m.kind ?? '',
        displayName: m.display_name ?? '',
        matchedBy: m.matched_by ?? '',
      }));
    },
    async linkGuardian({ studentId, guardianId, kind }) {
      const response = await guardianships.LinkGuardian(
        { student_id: studentId, guardian_id: guardianId, kind },
        await options(randomUUID()),
      );
      return guardianshipRef(response.guardianship);
    },
    async unlinkGuardian({ guardianshipId, expectedVersion, endedOn, reason }) {
      const response = await guardianships.UnlinkGuardian(
        {
          guardianship_id: guardianshipId,
          expected_version: String(expectedVersion),
          ended_on: endedOn,
          reason,
        },
        await options(randomUUID()),
      );
      return guardianshipRef(response.guardianship);
    },
    close() {
      people.close();
      guardianships.close();
    },
  };
}
