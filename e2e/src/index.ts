export { freePort, startPlatform } from './platform';
export type { Platform, PlatformOptions, ServiceName } from './platform';
