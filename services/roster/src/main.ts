import { createLogger, createMetrics, loadConfigOrExit, runService } from '@edu/kit';
import { configSchema } from './config';
import { createRosterService } from './roster.service';

// Composition root: config → logger → metrics → components → signals.
const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: 'roster', level: config.EDU_LOG_LEVEL });
const metrics = createMetrics('roster');
const roster = createRosterService(config, logger, metrics);

void runService({
  logger,
  components: roster.components,
  onShutdownStart: roster.onShutdownStart,
  shutdownTimeoutMs: config.EDU_SHUTDOWN_TIMEOUT,
});
