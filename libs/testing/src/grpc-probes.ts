import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

// What grpcurl or a kubelet probe would ask a service, as plain functions for tests.

const OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

type HealthClient = grpc.Client & {
  Check(
    request: { service: string },
    callback: (error: grpc.ServiceError | null, reply: { status: string }) => void,
  ): void;
};
type ReflectionClient = grpc.Client & {
  ServerReflectionInfo(): grpc.ClientDuplexStream<{ list_services: string }, unknown>;
};
type ClientClass<C> = new (address: string, credentials: grpc.ChannelCredentials) => C;

/** `grpc.health.v1.Health/Check` without an actor: resolves with the status, e.g. `SERVING`. */
export async function grpcHealthStatus(address: string, service = ''): Promise<string> {
  const loaded = grpc.loadPackageDefinition(loadSync(healthProtoPath, OPTIONS)) as unknown as {
    grpc: { health: { v1: { Health: ClientClass<HealthClient> } } };
  };
  const health = new loaded.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
  try {
    return await new Promise<string>((resolve, reject) =>
      health.Check({ service }, (error, reply) => (error ? reject(error) : resolve(reply.status))),
    );
  } finally {
    health.close();
  }
}

/** The services a server lists through reflection (`v1` or `v1alpha`), without an actor. */
export async function grpcReflectedServices(
  address: string,
  version: 'v1' | 'v1alpha' = 'v1',
): Promise<string[]> {
  const protoFile = path.join(
    path.dirname(require.resolve('@grpc/reflection')),
    '..',
    'proto',
    'grpc',
    'reflection',
    version,
    'reflection.proto',
  );
  const loaded = grpc.loadPackageDefinition(loadSync(protoFile, OPTIONS)) as unknown as {
    grpc: { reflection: Record<string, { ServerReflection: ClientClass<ReflectionClient> } | undefined> };
  };
  const Reflection = loaded.grpc.reflection[version]?.ServerReflection;
  if (!Reflection) throw new Error(`no reflection ${version} in ${protoFile}`);
  const reflection = new Reflection(address, grpc.credentials.createInsecure());
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const stream = reflection.ServerReflectionInfo();
      stream.on('data', (reply: { list_services_response?: { service: { name: string }[] } }) => {
        resolve((reply.list_services_response?.service ?? []).map((service) => service.name));
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ list_services: '' });
    });
  } finally {
    reflection.close();
  }
}
