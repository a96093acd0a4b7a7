import { endpoints } from './endpoints';

/** Development users of the local realm (deploy/local/keycloak/realm-edu.json). Dev only. */
export const DEV_USERS = {
  operator: { username: 'dev-operator', password: 'Dev-Operator-1' },
  schoolAdmin: { username: 'dev-school-admin', password: 'Dev-SchoolAdmin-1' },
  teacher: { username: 'dev-teacher', password: 'Dev-Teacher-1' },
  guardian: { username: 'dev-guardian', password: 'Dev-Guardian-1' },
} as const;

/** The gateway's confidential client in the local realm. The secret is a development one. */
export const GATEWAY_CLIENT = { clientId: 'edu-gateway', secret: 'dev-only-edu-gateway-secret' } as const;

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: string;
  refresh_token?: string;
  id_token?: string;
}

async function token(form: Record<string, string>): Promise<TokenResponse> {
  const { issuer } = endpoints();
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as TokenResponse & { error?: string; error_description?: string };
  if (!response.ok)
    throw new Error(
      `token request refused: ${response.status} ${body.error} ${body.error_description ?? ''}`,
    );
  return body;
}

/** A user's token by the password grant (through the gateway client; local realm only). */
export function passwordToken(username: string, password: string): Promise<TokenResponse> {
  return token({
    grant_type: 'password',
    client_id: GATEWAY_CLIENT.clientId,
    client_secret: GATEWAY_CLIENT.secret,
    username,
    password,
    scope: 'openid',
  });
}

/** The gateway's own service-account token by the client-credentials grant. */
export function clientCredentialsToken(): Promise<TokenResponse> {
  return token({
    grant_type: 'client_credentials',
    client_id: GATEWAY_CLIENT.clientId,
    client_secret: GATEWAY_CLIENT.secret,
  });
}
