import { createLogger, createMetrics, loadConfigOrExit, runService } from '@edu/kit';
import { configSchema } from './config';
import { createGatewayService } from './gateway.service';

// Composition root: config → logger → metrics → components → signals.
const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: 'gateway', level: config.EDU_LOG_LEVEL });
const metrics = createMetrics('gateway');
const gateway = createGatewayService(config, logger, metrics);

void runService({
  logger,
  components: gateway.components,
  onShutdownStart: gateway.onShutdownStart,
  shutdownTimeoutMs: config.EDU_SHUTDOWN_TIMEOUT,
});
