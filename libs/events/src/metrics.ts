import { Counter, Gauge, type Registry } from 'prom-client';

/** Where a component registers its metrics (the service's prom-client registry). */
export interface MetricsOptions {
  registry: Registry;
}

// Several consumers in one process share one registry: reuse a metric another one registered.
export function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function gauge(registry: Registry, name: string, help: string, labelNames: string[]): Gauge {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge;
  return new Gauge({ name, help, labelNames, registers: [registry] });
}
