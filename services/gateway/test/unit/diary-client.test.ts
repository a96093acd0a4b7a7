import * as grpc from '@grpc/grpc-js';
import { GrpcCallError } from '@edu/grpc';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/diary';
import type { DiaryServiceHandlers } from '@edu/proto/dist/generated/edu/diary/v1/DiaryService';
import { createDiaryClient, type DiaryClient } from '../../src/adapters/diary-client';
import { FAKE_PDF, weekMessage } from '../diary.fake';

// The diary client against a real gRPC server answering DiaryService: the proto loads, the
// messages and the PDF's bytes cross the wire, the actor travels in metadata, and a refusal comes
// back as a GrpcCallError with its status.

describe('gateway: the diary’s gRPC client', () => {
  let server: grpc.Server;
  let client: DiaryClient;
  const seen: { method: string; request: unknown; actor: grpc.MetadataValue[] }[] = [];

  beforeAll(async () => {
    const proto = grpc.loadPackageDefinition(
      loadProto('edu/diary/v1/diary.proto'),
    ) as unknown as ProtoGrpcType;
    const unimplemented = (call: unknown, callback: grpc.sendUnaryData<never>) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in this test' });
    const handlers: Partial<DiaryServiceHandlers> = {
      GetWeek(call, callback) {
        seen.push({ method: 'GetWeek', request: call.request, actor: call.metadata.get('x-edu-actor') });
        callback(null, weekMessage(call.request.student_id));
      },
      GetWeekExtract(call, callback) {
        seen.push({
          method: 'GetWeekExtract',
          request: call.request,
          actor: call.metadata.get('x-edu-actor'),
        });
        callback(null, {
          content_type: 'application/pdf',
          file_name: 'dnevnik-2026-11-23.pdf',
          content: FAKE_PDF,
        });
      },
      GetRebuildStatus(call, callback) {
        callback(null, {
          state: 'replaying',
          active_generation: 1,
          building_generation: 2,
          events_applied: 9_000_000_000,
          lag: 3,
        });
      },
      GetHome(call, callback) {
        callback({ code: grpc.status.PERMISSION_DENIED, details: 'Недостаточно прав для этого действия' });
      },
    };
    server = new grpc.Server();
    server.addService(proto.edu.diary.v1.DiaryService.service, {
      ...Object.fromEntries(
        Object.keys(proto.edu.diary.v1.DiaryService.service).map((name) => [name, unimplemented]),
      ),
      ...handlers,
    } as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    client = createDiaryClient({ address: `127.0.0.1:${port}`, deadlineMs: 3_000 });
  });
  afterAll(async () => {
    client.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  it('when a week is read, then the request and the actor reach the diary and the week comes back in proto names', async () => {
    const week = await client.GetWeek(
      { student_id: 'student-1', date: '2026-11-25' },
      { actorToken: 'actor-token', traceId: 'trace-1' },
    );

    expect(week.student).toMatchObject({ student_id: 'student-1', class_name: '5А' });
    expect(week.days).toHaveLength(7);
    expect(week.days[0]!.lessons[0]!.attendance).toMatchObject({ kind: 'late', late_minutes: 5 });
    expect(seen.at(-1)).toEqual({
      method: 'GetWeek',
      request: { student_id: 'student-1', date: '2026-11-25' },
      actor: ['actor-token'],
    });
  });

  it('when the extract is read, then its bytes arrive unchanged as a Buffer', async () => {
    const document = await client.GetWeekExtract({ student_id: 'student-1', date: '' }, { actorToken: 'a' });

    expect(document.file_name).toBe('dnevnik-2026-11-23.pdf');
    expect(Buffer.isBuffer(document.content)).toBe(true);
    expect(document.content.equals(FAKE_PDF)).toBe(true);
  });

  it('when the rebuild status is read, then its int64 counters arrive as text', async () => {
    const status = await client.GetRebuildStatus({}, { actorToken: 'a' });

    expect(status).toMatchObject({ state: 'replaying', events_applied: '9000000000', lag: '3' });
  });

  it('when the diary refuses, then the call fails with PERMISSION_DENIED', async () => {
    const failure = await client.GetHome({}, { actorToken: 'a' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GrpcCallError);
    expect((failure as GrpcCallError).codeName).toBe('PERMISSION_DENIED');
  });
});
