import { ConfigError, loadConfig } from '@edu/kit';
import { bridgeConfigSchema } from '../../src/bridge/config';

const REQUIRED = {
  EDU_ESIA_BRIDGE_CLIENT_SECRET: 'a-long-enough-secret',
  EDU_ESIA_SIGNER_KEY_FILE: 'dev-keys/edu-client-test.key.pem',
  EDU_ESIA_VERIFY_KEY_FILE: 'dev-keys/esia-emulator.pub.pem',
};

describe('bridgeConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig(bridgeConfigSchema, REQUIRED)).toMatchObject({
      EDU_ESIA_BRIDGE_PORT: 8095,
      EDU_ESIA_BRIDGE_HOST: '127.0.0.1',
      EDU_ESIA_BRIDGE_ISSUER: 'http://127.0.0.1:8095',
      EDU_ESIA_BRIDGE_CLIENT_ID: 'keycloak',
      EDU_ESIA_BRIDGE_REDIRECT_PATTERNS: ['http://127.0.0.1:8180/realms/edu/broker/*/endpoint'],
      EDU_ESIA_URL: 'http://127.0.0.1:8190',
      EDU_ESIA_CLIENT_ID: 'EDUJOURNAL',
      EDU_ESIA_SCOPE:
        'openid fullname snils birthdate gender kid_fullname kid_birthdate kid_snils birth_cert_doc kid_birth_cert_doc',
    });
  });

  it('parses patterns as a list and refuses a scope without openid', () => {
    const config = loadConfig(bridgeConfigSchema, {
      ...REQUIRED,
      EDU_ESIA_BRIDGE_REDIRECT_PATTERNS: 'http://a:*/x/*/endpoint, http://b/y',
    });
    expect(config.EDU_ESIA_BRIDGE_REDIRECT_PATTERNS).toEqual(['http://a:*/x/*/endpoint', 'http://b/y']);
    expect(() => loadConfig(bridgeConfigSchema, { ...REQUIRED, EDU_ESIA_SCOPE: 'fullname snils' })).toThrow(
      /EDU_ESIA_SCOPE/,
    );
  });

  it('requires the client secret (16+ characters) and the key files, hiding the secret', () => {
    const error = (() => {
      try {
        loadConfig(bridgeConfigSchema, { EDU_ESIA_BRIDGE_CLIENT_SECRET: 'short' });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const variables = error.issues.map((issue) => issue.variable);
    expect(variables).toEqual(
      expect.arrayContaining([
        'EDU_ESIA_BRIDGE_CLIENT_SECRET',
        'EDU_ESIA_SIGNER_KEY_FILE',
        'EDU_ESIA_VERIFY_KEY_FILE',
      ]),
    );
    expect(error.message).not.toContain('short');
  });
});
