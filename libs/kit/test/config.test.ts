import { z } from 'zod';
import {
  CONFIG_EXIT_CODE,
  ConfigError,
  bool,
  csv,
  durationMs,
  kafkaSettings,
  loadConfig,
  loadConfigOrExit,
  logLevel,
  port,
  url,
} from '../src';

const schema = z.object({
  EDU_GRPC_PORT: port(),
  EDU_OPS_PORT: port().default(9464),
  EDU_MONGO_URL: url(),
  EDU_KAFKA_BROKERS: csv(),
  EDU_SHUTDOWN_TIMEOUT: durationMs().default(25_000),
  EDU_LOG_LEVEL: logLevel().default('info'),
  EDU_DEMO: bool().default(false),
});

const goodEnv = {
  EDU_GRPC_PORT: '50051',
  EDU_MONGO_URL: 'mongodb://127.0.0.1:27017/roster',
  EDU_KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.2:9092',
};

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('when every variable is valid, then it returns typed values and applies defaults', () => {
    const config = loadConfig(schema, { ...goodEnv, EDU_SHUTDOWN_TIMEOUT: '30s', EDU_DEMO: 'true' });

    expect(config).toEqual({
      EDU_GRPC_PORT: 50051,
      EDU_OPS_PORT: 9464,
      EDU_MONGO_URL: 'mongodb://127.0.0.1:27017/roster',
      EDU_KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.2:9092'],
      EDU_SHUTDOWN_TIMEOUT: 30_000,
      EDU_LOG_LEVEL: 'info',
      EDU_DEMO: true,
    });
  });

  test('when a port is not a number, then the error names the variable, the expectation and the value', () => {
    const error = configErrorOf(() => loadConfig(schema, { ...goodEnv, EDU_GRPC_PORT: 'abc' }));

    expect(error.message).toBe('EDU_GRPC_PORT: expected an integer 1..65535, got "abc"');
    expect(error.issues).toEqual([
      { variable: 'EDU_GRPC_PORT', message: 'expected an integer 1..65535, got "abc"' },
    ]);
  });

  test('when several variables are bad or missing, then there is one line per variable', () => {
    const error = configErrorOf(() =>
      loadConfig(schema, {
        EDU_GRPC_PORT: '70000',
        EDU_MONGO_URL: 'not a url',
        EDU_SHUTDOWN_TIMEOUT: 'soon',
        EDU_LOG_LEVEL: 'loud',
        EDU_DEMO: 'yes',
      }),
    );

    expect(error.message.split('\n')).toEqual([
      'EDU_GRPC_PORT: expected an integer 1..65535, got "70000"',
      'EDU_MONGO_URL: expected an absolute URL, got "not a url"',
      'EDU_KAFKA_BROKERS: required, not set',
      'EDU_SHUTDOWN_TIMEOUT: expected a duration like 500ms, 30s, 5m or 1h, got "soon"',
      'EDU_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'EDU_DEMO: expected "true" or "false", got "yes"',
    ]);
  });

  test('when a secret-looking variable is bad, then its value is not echoed', () => {
    const secretSchema = z.object({ EDU_ACTOR_PRIVATE_KEY: z.string().startsWith('-----BEGIN') });

    const error = configErrorOf(() => loadConfig(secretSchema, { EDU_ACTOR_PRIVATE_KEY: 'hunter2' }));

    expect(error.message).toMatch(/^EDU_ACTOR_PRIVATE_KEY: .*\(value hidden\)$/);
    expect(error.message).not.toContain('hunter2');
  });

  test('when a list variable holds only commas, then it is refused', () => {
    const error = configErrorOf(() => loadConfig(schema, { ...goodEnv, EDU_KAFKA_BROKERS: ' , ' }));

    expect(error.message).toBe(
      'EDU_KAFKA_BROKERS: expected a comma-separated list of at least one item, got " , "',
    );
  });
});

describe('kafkaSettings', () => {
  const kafkaSchema = z.object({ ...kafkaSettings });

  test('when nothing is set, then the local broker, no topic prefix and six partitions', () => {
    expect(loadConfig(kafkaSchema, {})).toEqual({
      EDU_KAFKA_BROKERS: ['127.0.0.1:9092'],
      EDU_KAFKA_TOPIC_PREFIX: '',
      EDU_KAFKA_PARTITIONS: 6,
      EDU_KAFKA_REPLICATION_FACTOR: -1,
    });
  });

  test.each(['staging.', 'test-run-1.', 'a.b_c-d.'])(
    'when the topic prefix is %j, then it is taken',
    (prefix) => {
      expect(loadConfig(kafkaSchema, { EDU_KAFKA_TOPIC_PREFIX: prefix }).EDU_KAFKA_TOPIC_PREFIX).toBe(prefix);
    },
  );

  test.each(['staging', '.staging.', 'школа.', 'a b.', 'x/y.'])(
    'when the topic prefix is %j, then it is refused with what is expected',
    (prefix) => {
      const error = configErrorOf(() => loadConfig(kafkaSchema, { EDU_KAFKA_TOPIC_PREFIX: prefix }));

      expect(error.message).toBe(
        `EDU_KAFKA_TOPIC_PREFIX: expected empty, or letters, digits, ".", "_", "-" ending in ".", got ${JSON.stringify(prefix)}`,
      );
    },
  );
});

describe('loadConfigOrExit', () => {
  afterEach(() => jest.restoreAllMocks());

  test('when the config is bad, then it prints the lines to stderr and exits with code 78', () => {
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exit called');
    });

    expect(() => loadConfigOrExit(schema, { ...goodEnv, EDU_GRPC_PORT: 'abc' })).toThrow('exit called');
    expect(exit).toHaveBeenCalledWith(CONFIG_EXIT_CODE);
    expect(CONFIG_EXIT_CODE).toBe(78);
    expect(written.join('')).toContain('EDU_GRPC_PORT: expected an integer 1..65535, got "abc"');
  });

  test('when the config is good, then it returns it without exiting', () => {
    const exit = jest.spyOn(process, 'exit');

    expect(loadConfigOrExit(schema, goodEnv).EDU_GRPC_PORT).toBe(50051);
    expect(exit).not.toHaveBeenCalled();
  });
});
