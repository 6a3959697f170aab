import { Metrics } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';
import { METRICS, METRICS_NAMESPACE, SERVICE_NAME, type MetricPoint } from '../core/metric-names.ts';
import { logger } from './logger.ts';

/**
 * One Metrics instance for all functions. Metrics go out as EMF lines in the function's log (no
 * PutMetricData call, no extra permission); the handler wrapper publishes them after each
 * invocation. POWERTOOLS_METRICS_DISABLED=true (local run, tests) keeps them off stdout.
 */
const options = {
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
  // Powertools' own warnings go through the logger, at its level.
  logger,
};
export const metrics = new Metrics(options);

const dimensionKey = (d: NonNullable<MetricPoint['dimensions']>) => JSON.stringify(Object.entries(d).sort(([a], [b]) => a.localeCompare(b)));

/**
 * Records the points. Those without dimensions wait on the shared instance for the end of the
 * invocation; an EMF line holds one value per dimension, so each set of dimensions (a district, a
 * channel) goes out at once as its own line.
 */
export function emitMetrics(points: readonly MetricPoint[]): void {
  const groups = new Map<string, { dimensions: Record<string, string>; points: MetricPoint[] }>();
  for (const p of points) {
    const def = METRICS[p.metric];
    if (!p.dimensions || Object.keys(p.dimensions).length === 0) {
      metrics.addMetric(def.name, def.unit, p.value);
      continue;
    }
    const key = dimensionKey(p.dimensions);
    const group = groups.get(key) ?? groups.set(key, { dimensions: p.dimensions as Record<string, string>, points: [] }).get(key)!;
    group.points.push(p);
  }
  for (const { dimensions, points: inGroup } of groups.values()) {
    const line = new Metrics({ ...options, defaultDimensions: dimensions });
    for (const p of inGroup) line.addMetric(METRICS[p.metric].name, METRICS[p.metric].unit, p.value);
    line.publishStoredMetrics();
  }
}

/** Middy middleware: publishes what the invocation recorded, on success or error; nothing when it recorded none. */
export function publishMetrics(): middy.MiddlewareObj {
  const publish = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}
