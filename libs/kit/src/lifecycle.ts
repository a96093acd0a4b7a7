import type { Logger } from './logger';

/** A part of a service that is started and stopped: a store connection, a gRPC server, a consumer. */
export interface Component {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Options of `Lifecycle` and `runService`. */
export interface LifecycleOptions {
  logger: Logger;
  /** Started in this order, stopped in the reverse order. */
  components: Component[];
  /** How long the whole shutdown may take; Kubernetes kills the pod after its grace period (30 s). */
  shutdownTimeoutMs?: number;
  /** Runs first on shutdown, before any component stops: turn readiness off here. */
  onShutdownStart?: () => void | Promise<void>;
}

/** How a shutdown ended: `clean`, a component's `stop` failed (`error`), or it ran out of time. */
export type ShutdownOutcome = 'clean' | 'error' | 'timeout';

/** Starts components in order and stops the started ones in reverse; knows nothing of signals or exit. */
export class Lifecycle {
  private readonly log: Logger;
  private readonly started: Component[] = [];
  private shutdownPromise: Promise<ShutdownOutcome> | undefined;

  constructor(private readonly options: LifecycleOptions) {
    this.log = options.logger.child({ module: 'lifecycle' });
  }

  /** Starts every component in order; if one fails, stops those already started (reverse) and rethrows. */
  async start(): Promise<void> {
    for (const component of this.options.components) {
      try {
        await component.start();
      } catch (error) {
        this.log.error({ component: component.name, err: error }, 'component failed to start');
        await this.stopStarted();
        throw error;
      }
      this.started.push(component);
      this.log.info({ component: component.name }, 'component started');
    }
  }

  /** Runs `onShutdownStart`, then stops the started components in reverse order within the timeout. */
  shutdown(): Promise<ShutdownOutcome> {
    // Signals can arrive twice (SIGTERM then SIGINT); the shutdown in progress is the one answer.
    this.shutdownPromise ??= this.runShutdown();
    return this.shutdownPromise;
  }

  private async runShutdown(): Promise<ShutdownOutcome> {
    const { shutdownTimeoutMs = 25_000, onShutdownStart } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), shutdownTimeoutMs);
    });
    const work = (async (): Promise<ShutdownOutcome> => {
      let outcome: ShutdownOutcome = 'clean';
      try {
        await onShutdownStart?.();
      } catch (error) {
        this.log.error({ err: error }, 'onShutdownStart failed');
        outcome = 'error';
      }
      return (await this.stopStarted()) ? outcome : 'error';
    })();
    const outcome = await Promise.race([work, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.log.error({ shutdownTimeoutMs }, 'shutdown timed out');
    else this.log.info({ outcome }, 'shutdown finished');
    return outcome;
  }

  // Stops what was started, newest first, and carries on past a failing stop so that the rest
  // still release their resources. Returns false when any stop failed.
  private async stopStarted(): Promise<boolean> {
    let allStopped = true;
    while (this.started.length > 0) {
      const component = this.started.pop() as Component;
      try {
        await component.stop();
        this.log.info({ component: component.name }, 'component stopped');
      } catch (error) {
        allStopped = false;
        this.log.error({ component: component.name, err: error }, 'component failed to stop');
      }
    }
    return allStopped;
  }
}

/** Options of `runService`. */
export interface RunServiceOptions extends LifecycleOptions {
  signals?: NodeJS.Signals[];
}

/** Starts the service and exits on a signal after a graceful shutdown: 0 when clean, 1 otherwise. */
export async function runService({
  signals = ['SIGTERM', 'SIGINT'],
  ...options
}: RunServiceOptions): Promise<Lifecycle> {
  const log = options.logger.child({ module: 'lifecycle' });
  const lifecycle = new Lifecycle(options);
  try {
    await lifecycle.start();
  } catch {
    // Already logged by Lifecycle; the started components are stopped.
    return process.exit(1);
  }

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      // A second signal means someone is out of patience; do not make them wait for the timeout.
      log.warn({ signal }, 'second signal, exiting now');
      return process.exit(1);
    }
    signalled = true;
    log.info({ signal }, 'shutting down');
    void lifecycle.shutdown().then((outcome) => process.exit(outcome === 'clean' ? 0 : 1));
  };
  for (const signal of signals) process.on(signal, onSignal);
  log.info('service started');
  return lifecycle;
}
