import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import { once, type IdempotencyStore } from '@edu/store';
import type { PeopleServiceDefinition } from '@edu/proto/dist/generated/edu/roster/v1/PeopleService';
import { displayName, type Person } from '../../domain/person';
import {
  archivePerson,
  getPerson,
  listPeople,
  matchPeople,
  registerPerson,
  updatePersonContacts,
  type PeopleDeps,
} from '../../domain/person.use-cases';
import type {
  AcademicYearRepository,
  AccessLog,
  EnrolmentRepository,
  GuardianshipRepository,
  PersonRepository,
  SchoolClassRepository,
  SchoolRepository,
} from '../../domain/ports';
import {
  contactsFromMessage,
  formFromRequest,
  toMessage,
  toSummaryMessage,
} from '../../data-access/person.mapper';

export interface PeopleGrpcDeps {
  repositories: {
    schools: SchoolRepository;
    people: PersonRepository;
    accessLog: AccessLog;
    /** A guardian with an active link and consent reads their child's card. */
    guardianships: GuardianshipRepository;
    /** The class teacher of a student (or a guardian's child) reads the card and keeps contacts. */
    enrolments: EnrolmentRepository;
    academicYears: AcademicYearRepository;
    schoolClasses: SchoolClassRepository;
  };
  newId: () => string;
  now: () => Date;
  idempotency: IdempotencyStore;
}

/** gRPC handlers of `edu.roster.v1.PeopleService`: translate, call the use case, translate back. */
export function peopleHandlers({
  repositories,
  newId,
  now,
  idempotency,
}: PeopleGrpcDeps): ServiceHandlers<PeopleServiceDefinition> {
  const deps = (ctx: CallContext): PeopleDeps => ({
    ...repositories,
    newId,
    now,
    authorize: authorizeWith(ctx),
  });

  return {
    RegisterPerson: async (request, ctx) => {
      // The idempotency store keeps only the id: the card is personal data. A repeat reads the
      // card again, under the rules (and the access log) of any read.
      let registered: Person | undefined;
      const { id } = await once(idempotency, 'RegisterPerson', request, ctx, async () => {
        registered = await registerPerson(deps(ctx), requestContext(ctx), formFromRequest(request));
        return { id: registered.id };
      });
      const person = registered ?? (await getPerson(deps(ctx), requestContext(ctx), id));
      return { person: toMessage(person) };
    },

    GetPerson: async (request, ctx) => {
      const person = await getPerson(deps(ctx), requestContext(ctx), request.id);
      return { person: toMessage(person) };
    },

    ListPeople: async (request, ctx) => {
      const page = await listPeople(deps(ctx), requestContext(ctx), {
        schoolId: request.school_id,
        kind: request.kind,
        includeArchived: request.include_archived,
        size: request.page_size,
        token: request.page_token,
      });
      // Reduced cards only, whoever asks: the full card is GetPerson's, with its access log.
      return { people: page.people.map(toSummaryMessage), next_page_token: page.nextToken };
    },

    UpdatePersonContacts: async (request, ctx) => {
      const person = await updatePersonContacts(deps(ctx), requestContext(ctx), {
        id: request.id,
        expectedVersion: Number(request.expected_version),
        contacts: contactsFromMessage(request.contacts),
      });
      return { id: person.id, version: String(person.version), contacts: { ...person.contacts } };
    },

    MatchPeople: async (request, ctx) => {
      const matches = await matchPeople(deps(ctx), requestContext(ctx), {
        snils: request.snils,
        birthCertificate: {
          series: request.birth_certificate?.series ?? '',
          number: request.birth_certificate?.number ?? '',
        },
        birthDate: request.birth_date,
        lastName: request.last_name,
        firstName: request.first_name,
        middleName: request.middle_name,
        kind: request.kind,
      });
      return {
        matches: matches.map(({ person, matchedBy }) => ({
          person_id: person.id,
          school_id: person.schoolId,
          kind: person.kind,
          display_name: displayName(person),
          matched_by: matchedBy,
        })),
      };
    },

    ArchivePerson: async (request, ctx) => {
      const person = await archivePerson(deps(ctx), requestContext(ctx), {
        id: request.id,
        expectedVersion: Number(request.expected_version),
      });
      return { id: person.id, version: String(person.version), status: person.status };
    },
  };
}
