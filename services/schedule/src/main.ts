import { createLogger, createMetrics, loadConfigOrExit, runService } from '@edu/kit';
import { configSchema } from './config';
import { createScheduleService } from './schedule.service';

// Composition root: config → logger → metrics → components → signals.
const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: 'schedule', level: config.EDU_LOG_LEVEL });
const metrics = createMetrics('schedule');
const schedule = createScheduleService(config, logger, metrics);

void runService({
  logger,
  components: schedule.components,
  onShutdownStart: schedule.onShutdownStart,
  shutdownTimeoutMs: config.EDU_SHUTDOWN_TIMEOUT,
});
