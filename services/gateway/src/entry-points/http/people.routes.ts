import { Router } from 'express';
import type { ActorSignerPort, RosterPort } from '../../domain/ports';
import { messageShape, restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

const IMPORT_DEADLINE_MS = 120_000;

export interface PeopleRoutesDeps {
  roster: RosterPort;
  signer: ActorSignerPort;
}

/**
 * People of a school and students in classes: REST in front of roster's PeopleService and its
 * enrolment methods. Bodies and answers are the messages in camelCase (see wire-case.ts).
 */
export function peopleRouter({ roster, signer }: PeopleRoutesDeps): Router {
  const router = Router({ caseSensitive: true });
  const { people, enrolments } = roster;

  router.post('/api/v1/schools/:schoolId/people', validateRequest('registerPerson'), async (req, res) => {
    const { person } = await people.RegisterPerson(
      messageShape({ ...req.body, schoolId: String(req.params.schoolId) }),
      await commandOptions(req, res, signer),
    );
    const body = restShape<{ id: string }>(person);
    res
      .status(201)
      .location(`/api/v1/people/${encodeURIComponent(body.id)}`)
      .json(body);
  });

  router.get('/api/v1/schools/:schoolId/people', validateRequest('listPeople'), async (req, res) => {
    const query = req.query as {
      kind?: string;
      includeArchived?: string;
      pageSize?: string;
      pageToken?: string;
    };
    const page = await people.ListPeople(
      {
        school_id: String(req.params.schoolId),
        kind: query.kind ?? '',
        include_archived: query.includeArchived === 'true',
        page_size: query.pageSize === undefined ? 0 : Number(query.pageSize),
        page_token: query.pageToken ?? '',
      },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(page.people), nextPageToken: page.next_page_token });
  });

  router.get('/api/v1/people/:id', validateRequest('getPerson'), async (req, res) => {
    const { person } = await people.GetPerson(
      { id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json(restShape(person));
  });

  router.put('/api/v1/people/:id/contacts', validateRequest('updatePersonContacts'), async (req, res) => {
    const { expectedVersion, ...contacts } = req.body as {
      expectedVersion: number;
      phone?: string;
      email?: string;
    };
    const answer = await people.UpdatePersonContacts(
      {
        id: String(req.params.id),
        expected_version: String(expectedVersion),
        contacts: { phone: contacts.phone ?? '', email: contacts.email ?? '' },
      },
      await commandOptions(req, res, signer),
    );
    res.json(restShape(answer));
  });

  router.post('/api/v1/people/:id/archive', validateRequest('archivePerson'), async (req, res) => {
    const answer = await people.ArchivePerson(
      messageShape({ ...req.body, id: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(answer));
  });

  router.get('/api/v1/people/:id/movements', validateRequest('getStudentMovements'), async (req, res) => {
    const answer = await enrolments.GetStudentMovements(
      { student_id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(answer.enrolments) });
  });

  router.post('/api/v1/classes/:id/students', validateRequest('enrolStudent'), async (req, res) => {
    const { enrolment } = await enrolments.EnrolStudent(
      messageShape({ ...req.body, classId: String(req.params.id) }),
      await commandOptions(req, res, signer),
    );
    const body = restShape<{ id: string }>(enrolment);
    res
      .status(201)
      .location(`/api/v1/enrolments/${encodeURIComponent(body.id)}`)
      .json(body);
  });

  router.get('/api/v1/classes/:id/students', validateRequest('listClassStudents'), async (req, res) => {
    const answer = await enrolments.ListClassStudents(
      { class_id: String(req.params.id) },
      await upstreamOptions(res, signer),
    );
    res.json({ items: restShape(answer.students) });
  });

  router.post('/api/v1/enrolments/:id/moves', validateRequest('moveStudent'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const { enrolment } = await enrolments.MoveStudent(
      // A withdrawal is a move to no class: `toClassId: null`.
      messageShape({
        ...body,
        toClassId: body.toClassId ?? '',
        reason: body.reason ?? '',
        enrolmentId: String(req.params.id),
      }),
      await commandOptions(req, res, signer),
    );
    res.json(restShape(enrolment));
  });

  router.post('/api/v1/academic-years/:id/imports', validateRequest('importRoster'), async (req, res) => {
    const body = req.body as {
      csv: string;
      dryRun?: boolean;
      order: { number: string; date: string; title: string };
    };
    const summary = await enrolments.ImportRoster(
      {
        academic_year_id: String(req.params.id),
        csv: body.csv,
        dry_run: body.dryRun ?? false,
        order: body.order,
      },
      // A school's whole roster is written in one call: more time than a single change.
      { ...(await commandOptions(req, res, signer)), deadline: new Date(Date.now() + IMPORT_DEADLINE_MS) },
    );
    res.status(summary.dry_run ? 200 : 201).json(restShape(summary));
  });

  router.get('/api/v1/imports/template.csv', validateRequest('getImportTemplate'), async (_req, res) => {
    const { csv } = await enrolments.GetImportTemplate({}, await upstreamOptions(res, signer));
    res
      .type('text/csv; charset=utf-8')
      .attachment('roster-template.csv')
      // The BOM makes spreadsheet programs read the file as UTF-8.
      .send(`\uFEFF${csv}`);
  });

  return router;
}
