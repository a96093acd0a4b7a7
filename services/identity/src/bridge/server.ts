import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EsiaClient } from '../esia/esia-client';
import type { EsiaProfileSink } from '../esia/profile';
import { testEsiaSignerFromFile } from '../esia/signer';
import { Es256TestVerifier } from '../esia/token-verifier';
import type { BridgeConfig } from './config';
import { createEsiaBridge, type BridgeLogger, type EsiaBridge } from './oidc-provider';
import type { BridgeSigningKey } from './signing-key';

export interface RunningBridge {
  bridge: EsiaBridge;
  server: Server;
  /** The bound port (useful after listening on port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * Listens first, then builds the bridge with its issuer: with port 0 the issuer (and so the ESIA
 * callback URI) is known only once the port is bound. `issuer` default: `http://<host>:<port>`.
 */
export async function listenEsiaBridge(options: {
  host: string;
  port: number;
  issuer?: string;
  build: (issuer: string) => EsiaBridge | Promise<EsiaBridge>;
}): Promise<RunningBridge> {
  const current: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => {
    if (current.handler) return current.handler(req, res);
    res.writeHead(503, { 'retry-after': '1' }).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let bridge: EsiaBridge;
  try {
    bridge = await options.build(options.issuer ?? `http://${host}:${port}`);
  } catch (error) {
    server.close();
    throw error;
  }
  current.handler = bridge.app;
  return {
    bridge,
    server,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Reads a PKCS#8 PEM signing key for the bridge's id_tokens (RSA → RS256, EC → ES256). */
export async function signingKeyFromFile(path: string): Promise<BridgeSigningKey> {
  const privateKey = createPrivateKey({ key: await readFile(path, 'utf8'), format: 'pem' });
  return { privateKey, alg: privateKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256' };
}

/** The bridge as configured by the environment (development/test ESIA crypto), listening. */
export async function startEsiaBridgeFromConfig(
  config: BridgeConfig,
  onProfile: EsiaProfileSink,
  logger?: BridgeLogger,
): Promise<RunningBridge> {
  const signer = await testEsiaSignerFromFile(config.EDU_ESIA_SIGNER_KEY_FILE);
  const tokenVerifier = await Es256TestVerifier.fromFile(config.EDU_ESIA_VERIFY_KEY_FILE);
  const signingKey = config.EDU_ESIA_BRIDGE_SIGNING_KEY_FILE
    ? await signingKeyFromFile(config.EDU_ESIA_BRIDGE_SIGNING_KEY_FILE)
    : undefined;
  return listenEsiaBridge({
    host: config.EDU_ESIA_BRIDGE_HOST,
    port: config.EDU_ESIA_BRIDGE_PORT,
    issuer: config.EDU_ESIA_BRIDGE_ISSUER,
    build: (issuer) =>
      createEsiaBridge({
        issuer,
        clients: [
          {
            clientId: config.EDU_ESIA_BRIDGE_CLIENT_ID,
            clientSecret: config.EDU_ESIA_BRIDGE_CLIENT_SECRET,
            redirectUriPatterns: config.EDU_ESIA_BRIDGE_REDIRECT_PATTERNS,
          },
        ],
        esia: new EsiaClient({
          baseUrl: config.EDU_ESIA_URL,
          clientId: config.EDU_ESIA_CLIENT_ID,
          signer,
          tokenVerifier,
          scope: config.EDU_ESIA_SCOPE,
          redirectUri: `${issuer.replace(/\/+$/, '')}/esia/callback`,
        }),
        onProfile,
        ...(signingKey ? { signingKey } : {}),
        ...(logger ? { logger } : {}),
      }),
  });
}
