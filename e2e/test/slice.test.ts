import { randomUUID } from 'node:crypto';
import { schoolCardFixture, waitFor } from '@edu/testing';
import { api, directoryEntry, startSlice, type Slice } from './helpers';

// One request through every real part: Keycloak → gateway → gRPC → roster's store and outbox →
// Kafka → reports in another process.

describe('the school slice end to end (real Keycloak, Kafka, FerretDB; services as processes)', () => {
  let slice: Slice;

  beforeAll(async () => {
    slice = await startSlice();
  });
  afterAll(async () => {
    await slice?.close();
  });

  it('when the region operator creates a school, then 201 with the card, and reports has it soon after', async () => {
    const card = schoolCardFixture();

    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: card,
    });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...card, version: 1, id: expect.any(String) });
    expect(created.headers.get('location')).toBe(`/api/v1/schools/${String(created.body.id)}`);
    const entry = await waitFor(
      () => directoryEntry(slice, String(created.body.id)).then((e) => e ?? undefined),
      {
        timeoutMs: 10_000,
        what: 'the school in reports',
      },
    );
    expect(entry).toMatchObject({ inn: card.inn, shortName: card.shortName, version: 1 });
    const read = await api(slice, 'GET', `/api/v1/schools/${String(created.body.id)}`, {
      token: await slice.token('operator'),
    });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('when there is no token, then 401 problem+json and nothing is created', async () => {
    const card = schoolCardFixture();

    const response = await api(slice, 'POST', '/api/v1/schools', { body: card });

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.body).toMatchObject({
      status: 401,
      code: expect.any(String),
      title: expect.stringMatching(/[а-я]/i),
    });
    expect(await slice.roster.collection('schools').countDocuments({ inn: card.inn })).toBe(0);
  });

  it('when a teacher creates a school, then 403 problem+json and nothing is created', async () => {
    const card = schoolCardFixture();

    const response = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('teacher'),
      body: card,
    });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ status: 403, code: 'access.denied' });
    expect(await slice.roster.collection('schools').countDocuments({ inn: card.inn })).toBe(0);
  });

  it('when a guardian reads or lists schools, then a school outside their own is not shown', async () => {
    const created = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: schoolCardFixture(),
    });

    const one = await api(slice, 'GET', `/api/v1/schools/${String(created.body.id)}`, {
      token: await slice.token('guardian'),
    });
    const list = await api(slice, 'GET', '/api/v1/schools?pageSize=200', {
      token: await slice.token('guardian'),
    });

    expect(one.status).toBe(404);
    expect(one.body).toMatchObject({ code: 'school.not_found' });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  it('when the body is malformed, then 400 problem+json names the field, and nothing is created', async () => {
    const card = schoolCardFixture();
    const { ogrn: _ogrn, ...withoutOgrn } = card;
    const badInn = { ...schoolCardFixture(), inn: '1234567890' };

    const missing = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: withoutOgrn,
    });
    const wrongDigit = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: badInn,
    });
    const notJson = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: '{"fullName":',
    });

    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'ogrn' })]));
    expect(wrongDigit.status).toBe(400);
    expect(wrongDigit.body.errors).toEqual([
      expect.objectContaining({ field: 'inn', message: expect.stringMatching(/ИНН/) }),
    ]);
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(
      await slice.roster.collection('schools').countDocuments({ inn: { $in: [card.inn, badInn.inn] } }),
    ).toBe(0);
  });

  it('when a school with a taken INN is created, then 409 problem+json in Russian', async () => {
    const card = schoolCardFixture();
    await api(slice, 'POST', '/api/v1/schools', { token: await slice.token('operator'), body: card });

    const again = await api(slice, 'POST', '/api/v1/schools', {
      token: await slice.token('operator'),
      body: { ...card, shortName: 'Другая школа' },
    });

    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'school.inn_taken', detail: expect.stringContaining(card.inn) });
    expect(await slice.roster.collection('schools').countDocuments({ inn: card.inn })).toBe(1);
  });

  it('when the same POST comes twice with one Idempotency-Key, then one school and the same response', async () => {
    const card = schoolCardFixture();
    const headers = { 'idempotency-key': randomUUID() };
    const token = await slice.token('operator');

    const first = await api(slice, 'POST', '/api/v1/schools', { token, body: card, headers });
    const second = await api(slice, 'POST', '/api/v1/schools', { token, body: card, headers });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await slice.roster.collection('schools').countDocuments({ inn: card.inn })).toBe(1);
  });
});
