export { endpoints, type Endpoints } from './endpoints';
export { SCRATCH_PREFIX, uniqueName, uniqueTopicPrefix } from './unique-name';
export { waitFor } from './wait-for';
export { infra } from './infra';
export { deleteMailpitMessages, mailpitMessages, type MailpitAddress, type MailpitMessage } from './mailpit';
export {
  DEV_USERS,
  GATEWAY_CLIENT,
  passwordToken,
  clientCredentialsToken,
  createTestUser,
  deleteTestUser,
  keycloakAdmin,
  setTestUserProvisioner,
  type TestSchoolRole,
  type TestUserProvisioner,
  type TestUser,
  type TestUserOptions,
  type TokenResponse,
} from './keycloak';
export {
  loginThroughEsia,
  loginWithPassword,
  type EsiaLoginOptions,
  type EsiaLoginResult,
  type PasswordLoginOptions,
} from './browser-login';
export { grpcHealthStatus, grpcReflectedServices } from './grpc-probes';
export {
  academicYearPlanFixture,
  randomInn,
  randomOgrn,
  randomSnils,
  schoolCardFixture,
  schoolRosterCsv,
} from './test-data';
