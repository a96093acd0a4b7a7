import mongoose, { type Connection } from 'mongoose';
import { DEV_USERS, endpoints, passwordToken } from '@edu/testing';
import { startPlatform, type Platform } from '../src';

export type DevUser = keyof typeof DEV_USERS;

/** The platform for one test file, with connections to the services' databases for assertions. */
export interface Slice {
  platform: Platform;
  roster: Connection;
  schedule: Connection;
  gradebook: Connection;
  reports: Connection;
  token(user: DevUser): Promise<string>;
  close(): Promise<void>;
}

export async function startSlice(): Promise<Slice> {
  const { mongoUrl, kafkaBrokers, keycloakUrl, smtpUrl } = endpoints();
  const platform = await startPlatform({
    mongoUrl,
    kafkaBrokers,
    keycloakUrl,
    smtpUrl,
    env: { gateway: { EDU_RATE_LIMIT_PER_MINUTE: '60000', EDU_RATE_LIMIT_BURST: '1000' } },
  });
  const roster = await mongoose.createConnection(mongoUrl, { dbName: platform.rosterDb }).asPromise();
  const schedule = await mongoose.createConnection(mongoUrl, { dbName: platform.scheduleDb }).asPromise();
  const gradebook = await mongoose.createConnection(mongoUrl, { dbName: platform.gradebookDb }).asPromise();
  const reports = await mongoose.createConnection(mongoUrl, { dbName: platform.reportsDb }).asPromise();
  const tokens = new Map<DevUser, Promise<string>>();
  return {
    platform,
    roster,
    schedule,
    gradebook,
    reports,
    token(user) {
      let token = tokens.get(user);
      if (!token) {
        token = passwordToken(DEV_USERS[user].username, DEV_USERS[user].password).then((t) => t.access_token);
        tokens.set(user, token);
      }
      return token;
    },
    async close() {
      await platform.close();
      // The diary's database too (no test reads it directly).
      const diary = await mongoose.createConnection(mongoUrl, { dbName: platform.diaryDb }).asPromise();
      for (const connection of [roster, schedule, gradebook, reports, diary]) {
        await connection.dropDatabase();
        await connection.close();
      }
    },
  };
}

/** A JSON request to the gateway; the body comes back parsed. */
export async function api(
  slice: Slice,
  method: string,
  path: string,
  { token, body, headers = {} }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${slice.platform.gatewayUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** The school in reports' directory, or null. */
export function directoryEntry(slice: Slice, schoolId: string) {
  return slice.reports.collection<{ _id: string }>('school_directory').findOne({ _id: schoolId });
}
