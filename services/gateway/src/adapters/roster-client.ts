import * as grpc from '@grpc/grpc-js';
import { createGrpcClient } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType as GuardianshipProtoGrpcType } from '@edu/proto/dist/generated/guardianship';
import type { ProtoGrpcType as PeopleProtoGrpcType } from '@edu/proto/dist/generated/people';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/roster';
import type { ProtoGrpcType as StaffProtoGrpcType } from '@edu/proto/dist/generated/staff';
import type { ProtoGrpcType as SubgroupProtoGrpcType } from '@edu/proto/dist/generated/subgroup';
import type { RosterPort } from '../domain/ports';

export interface RosterClientOptions {
  /** host:port of roster's gRPC server. */
  address: string;
  /** Deadline of one call, retries included. */
  deadlineMs: number;
}

/** The roster port over gRPC, plus `close()` for shutdown. */
export type RosterClient = RosterPort & { close(): void };

/**
 * Roster's gRPC client behind the port. Reads are retried on UNAVAILABLE; commands only when
 * the client sent an Idempotency-Key (createGrpcClient decides that from the call options), since
 * a retried command without one could act twice.
 */
export function createRosterClient({ address, deadlineMs }: RosterClientOptions): RosterClient {
  const proto = grpc.loadPackageDefinition(
    loadProto('edu/roster/v1/roster.proto'),
  ) as unknown as ProtoGrpcType;
  const client = createGrpcClient(proto.edu.roster.v1.RosterService, address, {
    deadlineMs,
    idempotentMethods: [
      'GetSchool',
      'ListSchools',
      'GetAcademicYear',
      'ListAcademicYears',
      'GetClass',
      'ListClasses',
      'ListClassStudents',
      'GetStudentMovements',
      'GetImportTemplate',
    ],
  });
  const peopleProto = grpc.loadPackageDefinition(
    loadProto('edu/roster/v1/people.proto'),
  ) as unknown as PeopleProtoGrpcType;
  // The same server; a channel of its own keeps the two clients independent.
  const people = createGrpcClient(peopleProto.edu.roster.v1.PeopleService, address, {
    deadlineMs,
    idempotentMethods: ['GetPerson', 'ListPeople'],
  });
  // Guardianship, staff and subgroups: services of their own on the same server, one package
  // definition for the three files, a client (and channel) each like PeopleService.
  const relations = grpc.loadPackageDefinition(
    loadProto(
      'edu/roster/v1/guardianship.proto',
      'edu/roster/v1/staff.proto',
      'edu/roster/v1/subgroup.proto',
    ),
  ) as unknown as GuardianshipProtoGrpcType & StaffProtoGrpcType & SubgroupProtoGrpcType;
  const guardianships = createGrpcClient(relations.edu.roster.v1.GuardianshipService, address, {
    deadlineMs,
    idempotentMethods: ['ListGuardians', 'ListChildren', 'GetGuardianship'],
  });
  const staff = createGrpcClient(relations.edu.roster.v1.StaffService, address, {
    deadlineMs,
    idempotentMethods: ['ListStaff', 'ListPositionsOfPerson', 'GetPosition'],
  });
  const subgroups = createGrpcClient(relations.edu.roster.v1.SubgroupService, address, {
    deadlineMs,
    idempotentMethods: ['ListSubgroups', 'GetSubgroup'],
  });
  return {
    createSchool: (request, options) => client.CreateSchool(request, options),
    getSchool: (request, options) => client.GetSchool(request, options),
    changeSchool: (request, options) => client.ChangeSchool(request, options),
    listSchools: (request, options) => client.ListSchools(request, options),
    openAcademicYear: (request, options) => client.OpenAcademicYear(request, options),
    getAcademicYear: (request, options) => client.GetAcademicYear(request, options),
    listAcademicYears: (request, options) => client.ListAcademicYears(request, options),
    changeCalendar: (request, options) => client.ChangeCalendar(request, options),
    openClass: (request, options) => client.OpenClass(request, options),
    getClass: (request, options) => client.GetClass(request, options),
    listClasses: (request, options) => client.ListClasses(request, options),
    changeClass: (request, options) => client.ChangeClass(request, options),
    people,
    enrolments: client,
    yearEnd: client,
    registers: client,
    guardianships,
    staff,
    subgroups,
    close: () => {
      for (const channel of [client, people, guardianships, staff, subgroups]) channel.close();
    },
  };
}
