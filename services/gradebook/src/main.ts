import { createLogger, createMetrics, loadConfigOrExit, runService } from '@edu/kit';
import { configSchema } from './config';
import { createGradebookService } from './gradebook.service';

// Composition root: config → logger → metrics → components → signals.
const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: 'gradebook', level: config.EDU_LOG_LEVEL });
const metrics = createMetrics('gradebook');
const gradebook = createGradebookService(config, logger, metrics);

void runService({
  logger,
  components: gradebook.components,
  onShutdownStart: gradebook.onShutdownStart,
  shutdownTimeoutMs: config.EDU_SHUTDOWN_TIMEOUT,
});
