import { loadConfig } from '@edu/kit';
import { configSchema } from '../../src/config';

describe('gateway configuration: gradebook', () => {
  it('when gradebook’s address is not given, then it is gradebook’s local default port', () => {
    const config = loadConfig(configSchema, { EDU_ACTOR_PRIVATE_KEY_FILE: '/keys/dev.pem' });

    expect(config.EDU_GRADEBOOK_GRPC).toBe('127.0.0.1:50054');
  });

  it('when gradebook’s address is given, then it is taken as is', () => {
    const config = loadConfig(configSchema, {
      EDU_ACTOR_PRIVATE_KEY_FILE: '/keys/dev.pem',
      EDU_GRADEBOOK_GRPC: 'gradebook.edu.svc:50054',
    });

    expect(config.EDU_GRADEBOOK_GRPC).toBe('gradebook.edu.svc:50054');
  });
});
