import * as grpc from '@grpc/grpc-js';
import { GrpcCallError, METADATA_KEYS } from '@edu/grpc';
import { forbidden } from '@edu/kit';
import { loadProto } from '@edu/proto';
import type { ProtoGrpcType } from '@edu/proto/dist/generated/notifications';
import type { NotificationsServiceHandlers } from '@edu/proto/dist/generated/edu/notifications/v1/NotificationsService';
import { createNotificationsClient, type NotificationsClient } from '../../src/adapters/notifications-client';
import { preferencesMessage, threadMessage } from '../notifications.fake';

// The notifications client against a real gRPC server answering NotificationsService: the proto
// loads, the messages cross the wire (int64 as text), the actor and the idempotency key travel in
// metadata, a refusal comes back as a GrpcCallError carrying the service's own error, and only the
// calls safe to repeat are retried when the service is briefly away.

describe('gateway: the notifications service’s gRPC client', () => {
  let server: grpc.Server;
  let client: NotificationsClient;
  let port: number;
  const seen: { method: string; request: unknown; actor: grpc.MetadataValue[]; key: grpc.MetadataValue[] }[] =
    [];
  // How many calls of each method to refuse with UNAVAILABLE before answering.
  const outages = new Map<string, number>();

  const note = (method: string, call: grpc.ServerUnaryCall<unknown, unknown>) =>
    seen.push({
      method,
      request: call.request,
      actor: call.metadata.get('x-edu-actor'),
      key: call.metadata.get(METADATA_KEYS.idempotencyKey),
    });
  // Refuses the call as UNAVAILABLE while the method's outage lasts; true when it did.
  const away = (method: string, callback: grpc.sendUnaryData<never>) => {
    const left = outages.get(method) ?? 0;
    if (left === 0) return false;
    outages.set(method, left - 1);
    callback({ code: grpc.status.UNAVAILABLE, details: 'starting' });
    return true;
  };

  beforeAll(async () => {
    const proto = grpc.loadPackageDefinition(
      loadProto('edu/notifications/v1/notifications.proto'),
    ) as unknown as ProtoGrpcType;
    const unimplemented = (call: unknown, callback: grpc.sendUnaryData<never>) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in this test' });
    const handlers: Partial<NotificationsServiceHandlers> = {
      ListInbox(call, callback) {
        note('ListInbox', call);
        if (away('ListInbox', callback)) return;
        callback(null, { notifications: [], unread: 7, next_cursor: 'next' });
      },
      SetPreferences(call, callback) {
        note('SetPreferences', call);
        callback(null, { ...preferencesMessage(), version: 9_000_000_001 });
      },
      PostMessage(call, callback) {
        note('PostMessage', call);
        if (away('PostMessage', callback)) return;
        callback(null, threadMessage({ thread_id: call.request.thread_id }));
      },
      GetThread(call, callback) {
        // The trailer as the service's gRPC server writes it: the error as JSON, ASCII only.
        const metadata = new grpc.Metadata();
        const error = forbidden('messaging.not_participant', 'Вы не участвуете в этой переписке');
        metadata.set(
          METADATA_KEYS.error,
          JSON.stringify(error.toJSON()).replace(
            /[^\x20-\x7e]/g,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
          ),
        );
        callback({
          code: grpc.status.PERMISSION_DENIED,
          details: 'Вы не участвуете в этой переписке',
          metadata,
        });
      },
    };
    server = new grpc.Server();
    server.addService(proto.edu.notifications.v1.NotificationsService.service, {
      ...Object.fromEntries(
        Object.keys(proto.edu.notifications.v1.NotificationsService.service).map((name) => [
          name,
          unimplemented,
        ]),
      ),
      ...handlers,
    } as grpc.UntypedServiceImplementation);
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    client = createNotificationsClient({ address: `127.0.0.1:${port}`, deadlineMs: 3_000 });
  });
  afterAll(async () => {
    client.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });
  beforeEach(() => {
    seen.length = 0;
    outages.clear();
  });

  it('when the inbox is read, then the request and the actor reach the service and the page comes back in proto names', async () => {
    const inbox = await client.ListInbox(
      { unread_only: true, limit: 20, cursor: 'c-1' },
      { actorToken: 'actor-token', traceId: 'trace-1' },
    );

    expect(inbox).toEqual({ notifications: [], unread: 7, next_cursor: 'next' });
    expect(seen).toEqual([
      {
        method: 'ListInbox',
        request: { unread_only: true, limit: 20, cursor: 'c-1' },
        actor: ['actor-token'],
        key: [],
      },
    ]);
  });

  it('when preferences are set, then the expected version goes as int64 and the version comes back as text', async () => {
    const preferences = await client.SetPreferences(
      { preferences: { quiet_from: '23:00', triggers: [] }, expected_version: '3' },
      { actorToken: 'a', idempotencyKey: 'prefs-key-1' },
    );

    expect(preferences.version).toBe('9000000001');
    expect(seen[0]!.request).toMatchObject({
      preferences: { quiet_from: '23:00' },
      expected_version: '3',
    });
    expect(seen[0]!.key).toEqual(['prefs-key-1']);
  });

  it('when a message with an attachment is posted, then its size crosses as int64', async () => {
    const thread = await client.PostMessage(
      {
        thread_id: 'thread-1',
        text: 'Спасибо',
        attachments: [
          { file_id: 'f', file_name: 'a.pdf', content_type: 'application/pdf', size_bytes: '123' },
        ],
      },
      { actorToken: 'a' },
    );

    expect(thread.thread_id).toBe('thread-1');
    expect(thread.messages[0]!.attachments[0]!.size_bytes).toBe('52340');
    expect(seen[0]!.request).toMatchObject({ attachments: [{ size_bytes: '123' }] });
  });

  it('when the service refuses, then the call fails with PERMISSION_DENIED and the service’s own code and Russian detail', async () => {
    const failure = await client
      .GetThread({ thread_id: 'thread-1' }, { actorToken: 'a' })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GrpcCallError);
    expect((failure as GrpcCallError).codeName).toBe('PERMISSION_DENIED');
    expect((failure as GrpcCallError).domainError).toMatchObject({
      code: 'messaging.not_participant',
      kind: 'forbidden',
      detail: 'Вы не участвуете в этой переписке',
    });
  });

  it('when the service is briefly away, then a read is retried until it answers', async () => {
    outages.set('ListInbox', 2);

    const inbox = await client.ListInbox({}, { actorToken: 'a' });

    expect(inbox.unread).toBe(7);
    expect(seen.map((s) => s.method)).toEqual(['ListInbox', 'ListInbox', 'ListInbox']);
  });

  it('when the service is briefly away, then a message without an idempotency key is not posted again', async () => {
    outages.set('PostMessage', 1);

    const failure = await client
      .PostMessage({ thread_id: 'thread-1', text: 'Спасибо' }, { actorToken: 'a' })
      .catch((error: unknown) => error);

    expect((failure as GrpcCallError).codeName).toBe('UNAVAILABLE');
    expect(seen.map((s) => s.method)).toEqual(['PostMessage']);
  });

  it('when the service is briefly away, then a message with an idempotency key is retried with the same key', async () => {
    outages.set('PostMessage', 1);

    const thread = await client.PostMessage(
      { thread_id: 'thread-1', text: 'Спасибо' },
      { actorToken: 'a', idempotencyKey: 'post-key-1' },
    );

    expect(thread.thread_id).toBe('thread-1');
    expect(seen.map((s) => [s.method, s.key])).toEqual([
      ['PostMessage', ['post-key-1']],
      ['PostMessage', ['post-key-1']],
    ]);
  });
});
