import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/** Latency buckets in seconds, from a cache hit to a slow report. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One HTTP request, as recorded by `observeHttp`. */
export interface HttpObservation {
  /** The route pattern (`/api/schools/:id`), never the raw path: raw paths explode the label set. */
  route: string;
  method: string;
  status: number;
  seconds: number;
}

/** One gRPC call, as recorded by `observeGrpc`. */
export interface GrpcObservation {
  /** `package.Service/Method`. */
  method: string;
  /** The status name, e.g. `OK`, `NOT_FOUND`. */
  code: string;
  seconds: number;
}

/** A service's metrics: its own registry with process metrics, the RED metrics and factories for more. */
export interface Metrics {
  readonly registry: Registry;
  observeHttp(observation: HttpObservation): void;
  observeGrpc(observation: GrpcObservation): void;
  gauge<L extends string>(name: string, help: string, labelNames?: readonly L[]): Gauge<L>;
  counter<L extends string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  histogram<L extends string>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    buckets?: number[],
  ): Histogram<L>;
}

/** Creates the metrics of `service` on a fresh registry (never prom-client's global one). */
export function createMetrics(service: string): Metrics {
  // A registry per call keeps tests and several servers in one process from colliding.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  // Returning the metric already registered under a name lets two modules ask for the same one.
  function existing<M>(name: string, type: abstract new (...args: never[]) => M): M | undefined {
    const found: Metric | undefined = registry.getSingleMetric(name);
    if (found === undefined) return undefined;
    if (!(found instanceof type)) throw new Error(`metric ${name} is already registered with another type`);
    return found;
  }
  function gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return existing<Gauge<L>>(name, Gauge) ?? new Gauge({ name, help, labelNames, registers: [registry] });
  }
  function counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return (
      existing<Counter<L>>(name, Counter) ?? new Counter({ name, help, labelNames, registers: [registry] })
    );
  }
  function histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: number[] = LATENCY_BUCKETS,
  ): Histogram<L> {
    return (
      existing<Histogram<L>>(name, Histogram) ??
      new Histogram({ name, help, labelNames, buckets, registers: [registry] })
    );
  }

  // The service name is a metric value rather than a default label: Prometheus already adds the
  // scrape target's `service` label, and a second one would be renamed to `exported_service`.
  gauge('edu_service_info', 'Which service this process is (always 1)', ['name']).set({ name: service }, 1);

  const httpTotal = counter('http_requests_total', 'HTTP requests handled', ['route', 'method', 'status']);
  const httpSeconds = histogram('http_request_duration_seconds', 'HTTP request duration', [
    'route',
    'method',
    'status',
  ]);
  const grpcTotal = counter('grpc_server_handled_total', 'gRPC calls handled', ['method', 'code']);
  const grpcSeconds = histogram('grpc_server_handling_seconds', 'gRPC call duration', ['method', 'code']);

  return {
    registry,
    gauge,
    counter,
    histogram,
    observeHttp({ route, method, status, seconds }) {
      const labels = { route, method: method.toUpperCase(), status: String(status) };
      httpTotal.inc(labels);
      httpSeconds.observe(labels, seconds);
    },
    observeGrpc({ method, code, seconds }) {
      grpcTotal.inc({ method, code });
      grpcSeconds.observe({ method, code }, seconds);
    },
  };
}
