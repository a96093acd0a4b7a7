import { z } from 'zod';
import { csv, port, url } from '@edu/kit';
import { DEFAULT_ESIA_SCOPE } from '../esia/protocol';

/**
 * The ESIA bridge's environment, as a zod object SHAPE to spread into identity's config schema:
 * `z.object({ ...otherSettings, ...bridgeConfig })`.
 */
export const bridgeConfig = {
  /** Where the bridge listens (its own HTTP port, separate from gRPC and ops). */
  EDU_ESIA_BRIDGE_PORT: port().default(8095),
  /** Loopback on a workstation; `0.0.0.0` in a pod. */
  EDU_ESIA_BRIDGE_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * The bridge's public base URL as Keycloak and browsers reach it (the `iss` of its tokens);
   * `<issuer>/esia/callback` must be registered at ESIA as our redirect URI.
   */
  EDU_ESIA_BRIDGE_ISSUER: url().default('http://127.0.0.1:8095'),
  /** Keycloak's client id at the bridge (the identity provider's "Client ID"). */
  EDU_ESIA_BRIDGE_CLIENT_ID: z.string().min(1).default('keycloak'),
  /** Keycloak's client secret at the bridge (a Secret; the same value in the realm's IdP config). */
  EDU_ESIA_BRIDGE_CLIENT_SECRET: z.string().min(16),
  /**
   * Keycloak's broker endpoints, comma separated; `*` stands for a port or path segment, e.g.
   * `http://127.0.0.1:*\/realms/edu/broker/*\/endpoint`.
   */
  EDU_ESIA_BRIDGE_REDIRECT_PATTERNS: csv().default(['http://127.0.0.1:8180/realms/edu/broker/*/endpoint']),
  /** Optional PEM (PKCS#8) of the id_token signing key (RSA → RS256, EC P-256 → ES256); '' generates one at start. */
  EDU_ESIA_BRIDGE_SIGNING_KEY_FILE: z.string().default(''),
  /** ESIA's base URL (the emulator on a workstation). */
  EDU_ESIA_URL: url().default('http://127.0.0.1:8190'),
  /** Our registered mnemonic at ESIA. */
  EDU_ESIA_CLIENT_ID: z.string().min(1).default('EDUJOURNAL'),
  /**
   * PKCS#8 PEM of the TEST request signer (ECDSA P-256, emulator only), e.g.
   * deploy/local/esia-emulator/dev-keys/edu-client-test.key.pem. Production plugs a GOST signing
   * service in behind `EsiaSigner` instead.
   */
  EDU_ESIA_SIGNER_KEY_FILE: z.string().min(1),
  /** SPKI PEM of the key ESIA's id_tokens are checked with (the emulator's esia-emulator.pub.pem). */
  EDU_ESIA_VERIFY_KEY_FILE: z.string().min(1),
  /** The scopes asked from ESIA, space separated (must include openid). */
  EDU_ESIA_SCOPE: z
    .string()
    .default(DEFAULT_ESIA_SCOPE)
    .refine(
      (scope) => scope.split(' ').includes('openid'),
      'expected a space separated scope list with openid',
    ),
};

/** The bridge's settings alone (tests, tools); identity's config spreads `bridgeConfig` instead. */
export const bridgeConfigSchema = z.object(bridgeConfig);
export type BridgeConfig = z.output<typeof bridgeConfigSchema>;
