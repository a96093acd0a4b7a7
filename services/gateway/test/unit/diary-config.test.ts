import { loadConfig } from '@edu/kit';
import { configSchema } from '../../src/config';

describe('gateway configuration: diary', () => {
  it('when the diary’s address is not given, then it is the diary’s local default port', () => {
    const config = loadConfig(configSchema, { EDU_ACTOR_PRIVATE_KEY_FILE: '/keys/dev.pem' });

    expect(config.EDU_DIARY_GRPC).toBe('127.0.0.1:50055');
  });

  it('when the diary’s address is given, then it is taken as is', () => {
    const config = loadConfig(configSchema, {
      EDU_ACTOR_PRIVATE_KEY_FILE: '/keys/dev.pem',
      EDU_DIARY_GRPC: 'diary.edu.svc:50055',
    });

    expect(config.EDU_DIARY_GRPC).toBe('diary.edu.svc:50055');
  });

  it('when the diary’s address is empty, then the configuration is refused naming the variable', () => {
    expect(() =>
      loadConfig(configSchema, { EDU_ACTOR_PRIVATE_KEY_FILE: '/keys/dev.pem', EDU_DIARY_GRPC: '' }),
    ).toThrow(/EDU_DIARY_GRPC/);
  });
});
