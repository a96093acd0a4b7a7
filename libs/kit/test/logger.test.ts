import type { DestinationStream } from 'pino';
import { REDACTED, REDACTED_KEYS, REDACTED_PATHS, createLogger, runWithContext } from '../src';

function capture(): { destination: DestinationStream; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  return {
    destination: { write: (chunk: string) => void chunks.push(chunk) },
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  test('when an object with personal data is logged, then names, SNILS and tokens are hidden', () => {
    const out = capture();
    const logger = createLogger({ service: 'roster', destination: out.destination });

    logger.info(
      {
        person: { id: 'p-1', lastName: 'Иванова', firstName: 'Мария', snils: '112-233-445 95' },
        students: [{ id: 's-1', lastName: 'Петров', birthDate: '2014-05-01' }],
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'x-edu-actor': 'jws' } },
        email: 'parent@example.org',
      },
      'person updated',
    );

    const [line] = out.lines();
    expect(line).toMatchObject({
      service: 'roster',
      level: 'info',
      msg: 'person updated',
      person: { id: 'p-1', lastName: REDACTED, firstName: REDACTED, snils: REDACTED },
      students: [{ id: 's-1', lastName: REDACTED, birthDate: REDACTED }],
      req: { headers: { authorization: REDACTED, cookie: REDACTED, 'x-edu-actor': REDACTED } },
      email: REDACTED,
    });
    const raw = JSON.stringify(line);
    for (const secret of ['Иванова', 'Мария', '112-233-445', 'Петров', 'Bearer abc', 'parent@example.org']) {
      expect(raw).not.toContain(secret);
    }
  });

  test('when personal data is nested deep or in odd case, then it is hidden and the caller object is unchanged', () => {
    const out = capture();
    const logger = createLogger({ service: 'roster', destination: out.destination });
    const event = { payload: { school: { classes: [{ students: [{ LastName: 'Сидоров', grade: 5 }] }] } } };

    logger.info({ event }, 'event applied');

    expect(out.lines()[0]).toMatchObject({
      event: { payload: { school: { classes: [{ students: [{ LastName: REDACTED, grade: 5 }] }] } } },
    });
    expect(event.payload.school.classes[0]?.students[0]?.LastName).toBe('Сидоров');
  });

  test('when a child logger is bound with personal data, then the binding is hidden too', () => {
    const out = capture();
    const logger = createLogger({ service: 'identity', destination: out.destination });

    logger.child({ module: 'login', email: 'teacher@school.example' }).info('signed in');

    expect(out.lines()[0]).toMatchObject({ module: 'login', email: REDACTED });
  });

  test('the redaction list covers names, identifiers, contacts and credentials', () => {
    for (const key of [
      'firstName',
      'lastName',
      'middleName',
      'fullName',
      'snils',
      'birthDate',
      'phone',
      'email',
    ]) {
      expect(REDACTED_KEYS).toContain(key);
    }
    for (const key of ['address', 'password', 'token', 'accessToken', 'authorization', 'cookie']) {
      expect(REDACTED_KEYS).toContain(key);
    }
    expect(REDACTED_PATHS).toEqual(
      expect.arrayContaining(['lastName', '*.lastName', '["set-cookie"]', '*["set-cookie"]']),
    );
    expect(REDACTED).toBe('[скрыто]');
  });

  test('when a line is logged inside runWithContext, then it carries the trace id; outside, it does not', () => {
    const out = capture();
    const logger = createLogger({ service: 'gradebook', destination: out.destination }).child({
      module: 'marks',
    });

    runWithContext({ traceId: 'trace-123' }, () => logger.info('inside'));
    logger.info('outside');

    const [inside, outside] = out.lines();
    expect(inside).toMatchObject({ msg: 'inside', traceId: 'trace-123', module: 'marks' });
    expect(outside).not.toHaveProperty('traceId');
  });

  test('when the context crosses an await, then the trace id is still there', async () => {
    const out = capture();
    const logger = createLogger({ service: 'diary', destination: out.destination });

    await runWithContext({ traceId: 'trace-async' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.warn('after await');
    });

    expect(out.lines()[0]).toMatchObject({ level: 'warn', traceId: 'trace-async' });
  });

  test('when the level is warn, then info lines are dropped', () => {
    const out = capture();
    const logger = createLogger({ service: 'reports', level: 'warn', destination: out.destination });

    logger.info('dropped');
    logger.error('kept');

    expect(out.lines().map((line) => line.msg)).toEqual(['kept']);
  });
});
