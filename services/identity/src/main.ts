import { createLogger, createMetrics, loadConfigOrExit, runService } from '@edu/kit';
import { configSchema } from './config';
import { createIdentityService } from './identity.service';

// Composition root: config → logger → metrics → components → signals.
const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: 'identity', level: config.EDU_LOG_LEVEL });
const metrics = createMetrics('identity');
const identity = createIdentityService(config, logger, metrics);

void runService({
  logger,
  components: identity.components,
  onShutdownStart: identity.onShutdownStart,
  shutdownTimeoutMs: config.EDU_SHUTDOWN_TIMEOUT,
});
