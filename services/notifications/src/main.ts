import { createLogger, createMetrics, loadConfigOrExit, runService } from '@edu/kit';
import { configSchema } from './config';
import { createNotificationsService } from './notifications.service';

// Composition root: config → logger → metrics → components → signals.
const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: 'notifications', level: config.EDU_LOG_LEVEL });
const metrics = createMetrics('notifications');
const notifications = createNotificationsService(config, logger, metrics);

void runService({
  logger,
  components: notifications.components,
  onShutdownStart: notifications.onShutdownStart,
  shutdownTimeoutMs: config.EDU_SHUTDOWN_TIMEOUT,
});
