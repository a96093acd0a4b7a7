import { ConfigError, loadConfig } from '@edu/kit';
import { configSchema, issuerOf } from '../../src/config';

describe('gateway configuration', () => {
  it('when only the actor key file is given, then every other variable has its default', () => {
    const config = loadConfig(configSchema, { EDU_ACTOR_PRIVATE_KEY_FILE: '/keys/dev.pem' });

    expect(config).toMatchObject({
      EDU_HTTP_HOST: '127.0.0.1',
      EDU_HTTP_PORT: 8080,
      EDU_OPS_PORT: 9464,
      EDU_KEYCLOAK_URL: 'http://127.0.0.1:8180',
      EDU_TOKEN_AUDIENCE: 'edu-gateway',
      EDU_ROSTER_GRPC: '127.0.0.1:50052',
      EDU_SCHEDULE_GRPC: '127.0.0.1:50053',
      EDU_NOTIFICATIONS_GRPC: '127.0.0.1:50056',
      EDU_ACTOR_KEY_ID: 'dev',
      EDU_CORS_ORIGINS: [],
      EDU_BODY_LIMIT: '100kb',
      EDU_UPSTREAM_DEADLINE: 5000,
      EDU_TRUSTED_PROXY_HOPS: 0,
    });
    expect(issuerOf(config)).toBe('http://127.0.0.1:8180/realms/edu');
  });

  it('when ports are 0 and origins are listed, then they are accepted as any free port and a list', () => {
    const config = loadConfig(configSchema, {
      EDU_ACTOR_PRIVATE_KEY_FILE: '/keys/dev.pem',
      EDU_HTTP_PORT: '0',
      EDU_CORS_ORIGINS: 'https://journal.example, http://localhost:5173',
      EDU_UPSTREAM_DEADLINE: '2s',
    });

    expect(config.EDU_HTTP_PORT).toBe(0);
    expect(config.EDU_CORS_ORIGINS).toEqual(['https://journal.example', 'http://localhost:5173']);
    expect(config.EDU_UPSTREAM_DEADLINE).toBe(2000);
  });

  it('when the key file is missing and values are malformed, then each bad variable is named', () => {
    let issues: string[] = [];

    try {
      loadConfig(configSchema, {
        EDU_HTTP_PORT: '70000',
        EDU_CORS_ORIGINS: 'https://journal.example/path',
        EDU_BODY_LIMIT: 'lots',
        EDU_NOTIFICATIONS_GRPC: '',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      issues = (error as ConfigError).issues.map((issue) => issue.variable);
    }

    expect(issues.sort()).toEqual(
      [
        'EDU_ACTOR_PRIVATE_KEY_FILE',
        'EDU_BODY_LIMIT',
        'EDU_CORS_ORIGINS',
        'EDU_HTTP_PORT',
        'EDU_NOTIFICATIONS_GRPC',
      ].sort(),
    );
  });
});
