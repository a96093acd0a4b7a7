import { createLogger, createMetrics, loadConfigOrExit, runService } from '@edu/kit';
import { configSchema } from './config';
import { createReportsService } from './reports.service';

// Composition root: config → logger → metrics → components → signals.
const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: 'reports', level: config.EDU_LOG_LEVEL });
const metrics = createMetrics('reports');
const reports = createReportsService(config, logger, metrics);

void runService({
  logger,
  components: reports.components,
  onShutdownStart: reports.onShutdownStart,
  shutdownTimeoutMs: config.EDU_SHUTDOWN_TIMEOUT,
});
