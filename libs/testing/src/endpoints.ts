/** Where the real infrastructure answers; filled in by the jest global setup. */
export interface Endpoints {
  /** Kafka bootstrap brokers, e.g. ["127.0.0.1:9092"]. */
  kafkaBrokers: string[];
  /** MongoDB-protocol server (FerretDB) without a database name. */
  mongoUrl: string;
  /** Keycloak base URL, e.g. http://127.0.0.1:8180. */
  keycloakUrl: string;
  /** The platform's realm. */
  realm: string;
  /** Issuer of the platform's tokens. */
  issuer: string;
  /** SMTP server (Mailpit) that accepts every message, e.g. smtp://127.0.0.1:1025 (no TLS, any login). */
  smtpUrl: string;
  /** Mailpit's HTTP API, to read what arrived over SMTP, e.g. http://127.0.0.1:8025. */
  mailpitUrl: string;
  /** The ESIA emulator (deploy/local/esia-emulator), e.g. http://127.0.0.1:8190. */
  esiaUrl: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests through jest with the @edu/testing preset`);
  return value;
}

export function endpoints(): Endpoints {
  const keycloakUrl = required('EDU_KEYCLOAK_URL');
  const realm = 'edu';
  return {
    kafkaBrokers: required('EDU_KAFKA_BROKERS').split(','),
    mongoUrl: required('EDU_MONGO_URL'),
    keycloakUrl,
    realm,
    issuer: `${keycloakUrl}/realms/${realm}`,
    smtpUrl: required('EDU_SMTP_URL'),
    mailpitUrl: required('EDU_MAILPIT_URL').replace(/\/+$/, ''),
    // EDU_ESIA_URL when set (an emulator started elsewhere), else the one infra.sh starts.
    esiaUrl: (process.env.EDU_ESIA_URL ?? `http://127.0.0.1:${process.env.EDU_ESIA_PORT || 8190}`).replace(
      /\/+$/,
      '',
    ),
  };
}
