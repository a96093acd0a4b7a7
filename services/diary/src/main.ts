import { createLogger, createMetrics, loadConfigOrExit, runService } from '@edu/kit';
import { configSchema } from './config';
import { createDiaryService } from './diary.service';

// Composition root: config → logger → metrics → components → signals.
const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: 'diary', level: config.EDU_LOG_LEVEL });
const metrics = createMetrics('diary');
const diary = createDiaryService(config, logger, metrics);

void runService({
  logger,
  components: diary.components,
  onShutdownStart: diary.onShutdownStart,
  shutdownTimeoutMs: config.EDU_SHUTDOWN_TIMEOUT,
});
