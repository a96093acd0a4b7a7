import { GrpcCallError } from '@edu/grpc';
import { GRPC_STATUS, conflict, type Problem } from '@edu/kit';
import { DEV_USERS, passwordToken } from '@edu/testing';
import { apiCaller, startApp, type RunningApp } from '../helpers';

// People and students in classes through the gateway with a fake roster and real Keycloak tokens.

const ROSTER = 'edu.roster.v1.RosterService';
const order = { number: '1-у', date: '2026-08-28', title: 'О зачислении' };

describe('gateway: people and enrolments', () => {
  let app: RunningApp;
  let token: string;
  const call = apiCaller(
    () => app,
    () => token,
  );

  beforeAll(async () => {
    token = (await passwordToken(DEV_USERS.schoolAdmin.username, DEV_USERS.schoolAdmin.password))
      .access_token;
    app = await startApp();
  });
  afterAll(() => app.close());
  beforeEach(() => app.roster.reset());

  it('when a student is registered, then roster gets the card in proto names for the school of the path, and 201 answers camelCase with a numeric version', async () => {
    const response = await call('/api/v1/schools/school-1/people', {
      method: 'POST',
      body: {
        kind: 'student',
        lastName: 'Иванов',
        firstName: 'Иван',
        birthDate: '2015-03-01',
        sex: 'male',
        snils: '112-233-445 95',
        contacts: { phone: '+7 913 123-45-67' },
        birthCertificate: { series: 'IV-БА', number: '123456' },
      },
      headers: { 'idempotency-key': 'register-ivanov-1' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/people/person-1');
    expect(await response.json()).toMatchObject({
      id: 'person-1',
      lastName: 'Иванов',
      birthDate: '2015-03-01',
      version: 1,
    });
    expect(app.roster.calls[0]).toMatchObject({
      method: 'people.RegisterPerson',
      request: {
        school_id: 'school-1',
        kind: 'student',
        last_name: 'Иванов',
        birth_date: '2015-03-01',
        contacts: { phone: '+7 913 123-45-67' },
        birth_certificate: { series: 'IV-БА', number: '123456' },
      },
      options: { idempotencyKey: 'register-ivanov-1' },
    });
  });

  it('when the kind is unknown and the birth date missing, then 400 naming both, and roster is not called', async () => {
    const response = await call('/api/v1/schools/school-1/people', {
      method: 'POST',
      body: { kind: 'pupil', lastName: 'Иванов', firstName: 'Иван', sex: 'male' },
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).errors?.map((e) => e.field).sort()).toEqual([
      'birthDate',
      'kind',
    ]);
    expect(app.roster.calls).toHaveLength(0);
  });

  it('when a student is enrolled, transferred and withdrawn, then roster gets each in its terms (null class = withdrawal)', async () => {
    const enrolled = await call('/api/v1/classes/class-1/students', {
      method: 'POST',
      body: { studentId: 'person-1', effectiveOn: '2026-09-01', order },
    });
    await call('/api/v1/enrolments/year-1%3Aperson-1/moves', {
      method: 'POST',
      body: { expectedVersion: 1, toClassId: 'class-2', effectiveOn: '2026-10-01', order },
    });
    await call('/api/v1/enrolments/year-1%3Aperson-1/moves', {
      method: 'POST',
      body: { expectedVersion: 2, toClassId: null, effectiveOn: '2026-12-01', order, reason: 'Переезд' },
    });

    expect(enrolled.status).toBe(201);
    expect(enrolled.headers.get('location')).toBe('/api/v1/enrolments/year-1%3Aperson-1');
    expect(app.roster.calls.map((c) => [c.method, c.request])).toEqual([
      [
        'enrolments.EnrolStudent',
        { student_id: 'person-1', effective_on: '2026-09-01', order, class_id: 'class-1' },
      ],
      [
        'enrolments.MoveStudent',
        {
          expected_version: '1',
          to_class_id: 'class-2',
          effective_on: '2026-10-01',
          order,
          reason: '',
          enrolment_id: 'year-1:person-1',
        },
      ],
      [
        'enrolments.MoveStudent',
        {
          expected_version: '2',
          to_class_id: '',
          effective_on: '2026-12-01',
          order,
          reason: 'Переезд',
          enrolment_id: 'year-1:person-1',
        },
      ],
    ]);
  });

  it('when roster says the student is already in another class, then 409 with its Russian detail', async () => {
    app.roster.failWith(
      new GrpcCallError(
        `${ROSTER}/EnrolStudent`,
        GRPC_STATUS.ALREADY_EXISTS,
        'уже зачислен',
        conflict('enrolment.already_active', 'Обучающийся уже зачислен в 5А класс этого учебного года'),
      ),
    );

    const response = await call('/api/v1/classes/class-2/students', {
      method: 'POST',
      body: { studentId: 'person-1', effectiveOn: '2026-09-01', order },
    });

    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      code: 'enrolment.already_active',
      detail: expect.stringContaining('5А'),
    });
  });

  it('when contacts are replaced and a card archived, then versions travel as strings to roster and come back as numbers', async () => {
    const contacts = await call('/api/v1/people/person-1/contacts', {
      method: 'PUT',
      body: { expectedVersion: 1, phone: '8 913 123-45-67' },
    });
    const archived = await call('/api/v1/people/person-1/archive', {
      method: 'POST',
      body: { expectedVersion: 2 },
    });

    expect(await contacts.json()).toEqual({
      id: 'person-1',
      version: 2,
      contacts: { phone: '+79131234567', email: '' },
    });
    expect(await archived.json()).toEqual({ id: 'person-1', version: 2, status: 'archived' });
    expect(app.roster.calls.map((c) => c.request)).toEqual([
      { id: 'person-1', expected_version: '1', contacts: { phone: '8 913 123-45-67', email: '' } },
      { expected_version: '2', id: 'person-1' },
    ]);
  });

  it('when no token is sent, then 401 for people and class lists', async () => {
    expect((await call('/api/v1/people/person-1', { auth: false })).status).toBe(401);
    expect((await call('/api/v1/classes/class-1/students', { auth: false })).status).toBe(401);
  });

  it('when a school file of 1 MB is imported, then the import route takes it (other routes stop at the small limit), and a dry run answers 200', async () => {
    const csv = `код;вид\r\n${'x;обучающийся\r\n'.repeat(60_000)}`;
    const big = await call('/api/v1/academic-years/year-1/imports', { method: 'POST', body: { csv, order } });
    const dry = await call('/api/v1/academic-years/year-1/imports', {
      method: 'POST',
      body: { csv: 'код;вид', dryRun: true, order },
    });
    const elsewhere = await call('/api/v1/schools/school-1/people', {
      method: 'POST',
      body: { lastName: csv },
    });

    expect(big.status).toBe(201);
    expect(dry.status).toBe(200);
    expect(elsewhere.status).toBe(413);
    expect(app.roster.calls.map((c) => [c.method, (c.request as { dry_run: boolean }).dry_run])).toEqual([
      ['enrolments.ImportRoster', false],
      ['enrolments.ImportRoster', true],
    ]);
    expect((app.roster.calls[0]!.request as { csv: string }).csv).toHaveLength(csv.length);
  });

  it('when the template is downloaded, then it is CSV with a BOM, as a file', async () => {
    const response = await call('/api/v1/imports/template.csv');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('roster-template.csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM
    expect(bytes.subarray(3).toString('utf8')).toBe('код;вид\r\nu1;сотрудник');
  });
});
