import path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';

/** Directory holding the .proto files (import root: `edu/...`). */
export const PROTO_DIR = path.resolve(__dirname, '..');

/** The proto-loader options every service uses (see the project's style guide). */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

/** Path of a .proto file by its import name, e.g. `edu/roster/v1/roster.proto`. */
export function protoFile(importName: string): string {
  return path.join(PROTO_DIR, importName);
}

/** Loads .proto files (by import name) into a package definition with the standard options. */
export function loadProto(...importNames: string[]): protoLoader.PackageDefinition {
  return protoLoader.loadSync(importNames.map(protoFile), LOADER_OPTIONS);
}
