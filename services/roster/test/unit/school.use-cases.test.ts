import { forbidden } from '@edu/kit';
import type { Actor, DomainEvent, SchoolRepository } from '../../src/domain/ports';
import type { School } from '../../src/domain/school';
import { changeSchool, createSchool, listSchools, type SchoolDeps } from '../../src/domain/school.use-cases';
import { as, failure, inSchool, validCard } from './fixtures';

// The use cases with an in-memory repository (a port fake) and the deny-by-default policy port.

function inMemory() {
  const schools: School[] = [];
  const events: DomainEvent[] = [];
  const repository: SchoolRepository = {
    async create(school, written) {
      schools.push(school);
      events.push(...written);
    },
    async update(school, expectedVersion, written) {
      const i = schools.findIndex((s) => s.id === school.id && s.version === expectedVersion);
      if (i < 0) throw new Error('version conflict');
      schools[i] = school;
      events.push(...written);
    },
    async get(id) {
      return schools.find((s) => s.id === id) ?? null;
    },
    async list({ limit, after, ids }) {
      return schools
        .filter((s) => !ids || ids.includes(s.id))
        .sort((a, b) => a.shortName.localeCompare(b.shortName) || a.id.localeCompare(b.id))
        .filter(
          (s) =>
            !after || s.shortName > after.shortName || (s.shortName === after.shortName && s.id > after.id),
        )
        .slice(0, limit);
    },
  };
  let n = 0;
  const deps: SchoolDeps = {
    schools: repository,
    authorize: (_actor, allowed) => {
      if (!allowed) throw forbidden('access.denied', 'Недостаточно прав для этого действия');
    },
    newId: () => `school-${(n += 1)}`,
    now: () => new Date('2026-09-01T06:00:00Z'),
  };
  return { deps, schools, events };
}

const operator: Actor = { accountId: 'a1', schoolRoles: [], grants: ['regionOperator'] };
const teacher: Actor = {
  accountId: 'a2',
  schoolRoles: [{ schoolId: 'school-1', role: 'teacher' }],
  grants: [],
};

describe('school use cases', () => {
  it('when the operator creates a valid card, then it is stored at version 1 with one created event', async () => {
    const { deps, schools, events } = inMemory();

    const school = await createSchool(deps, as(operator), validCard());

    expect(school).toMatchObject({ id: 'school-1', version: 1, createdAt: '2026-09-01T06:00:00.000Z' });
    expect(schools).toEqual([school]);
    expect(events).toEqual([{ type: 'edu.roster.school.created', school }]);
  });

  it('when a teacher creates a card, then it is refused and nothing is stored or published', async () => {
    const { deps, schools, events } = inMemory();

    const error = await failure(createSchool(deps, as(teacher), validCard()));

    expect(error.kind).toBe('forbidden');
    expect(schools).toEqual([]);
    expect(events).toEqual([]);
  });

  it('when the card is invalid, then every field is named and nothing is stored', async () => {
    const { deps, schools } = inMemory();

    const error = await failure(
      createSchool(deps, as(operator), { ...validCard(), inn: '1', timeZone: 'MSK' }),
    );

    expect(error.code).toBe('school.invalid');
    expect(error.errors?.map((e) => e.field)).toEqual(['inn', 'timeZone']);
    expect(schools).toEqual([]);
  });

  it('when a page size is out of range or the token is garbage, then it is refused with the field named', async () => {
    const { deps } = inMemory();

    const size = await failure(listSchools(deps, as(operator), { size: 201, token: '' }));
    const token = await failure(listSchools(deps, as(operator), { size: 10, token: 'not-a-cursor' }));

    expect(size.errors?.[0]?.field).toBe('pageSize');
    expect(token.errors?.[0]?.field).toBe('pageToken');
  });

  it('when the director changes the address at the current version, then version 2 is stored and updated is published; no change, a stale version or a bad card are refused', async () => {
    const { deps, schools, events } = inMemory();
    const school = await createSchool(deps, as(operator), validCard());
    const director = inSchool('director', school.id);
    const address = '660002, г. Красноярск, ул. Новая, д. 2';

    const changed = await changeSchool(deps, as(director), {
      id: school.id,
      expectedVersion: 1,
      card: { ...validCard(), address },
    });
    const same = await failure(
      changeSchool(deps, as(director), {
        id: school.id,
        expectedVersion: 2,
        card: { ...validCard(), address },
      }),
    );
    const stale = await failure(
      changeSchool(deps, as(director), { id: school.id, expectedVersion: 1, card: validCard() }),
    );
    const bad = await failure(
      changeSchool(deps, as(director), {
        id: school.id,
        expectedVersion: 2,
        card: { ...validCard(), inn: '123' },
      }),
    );

    expect(changed).toMatchObject({ address, version: 2, createdAt: school.createdAt });
    expect(events.map((e) => e.type)).toEqual(['edu.roster.school.created', 'edu.roster.school.updated']);
    expect(same.code).toBe('school.no_change');
    expect(stale.code).toBe('school.version_conflict');
    expect(bad.code).toBe('school.invalid');
    expect(schools[0]).toEqual(changed);
  });

  it('when a teacher of the school changes the card, then it is refused; someone of another school is told it does not exist', async () => {
    const { deps, schools } = inMemory();
    const school = await createSchool(deps, as(operator), validCard());
    const change = {
      id: school.id,
      expectedVersion: 1,
      card: { ...validCard(), address: 'Другой адрес, д. 1' },
    };

    const teacher = await failure(changeSchool(deps, as(inSchool('teacher', school.id)), change));
    const stranger = await failure(changeSchool(deps, as(inSchool('director', 'school-x')), change));

    expect(teacher.kind).toBe('forbidden');
    expect(stranger.kind).toBe('not_found');
    expect(schools[0]!.version).toBe(1);
  });
});
