import { Counter, Gauge, Histogram, register } from 'prom-client';

const existing = <T>(name: string) => register.getSingleMetric(name) as T | undefined;

/** Intake handling time, parse to acknowledgement (the signal is durable when this ends). */
export const webhookAckSeconds =
  existing<Histogram>('webhook_ack_seconds') ??
  new Histogram({ name: 'webhook_ack_seconds', help: 'Webhook intake time from request to acknowledgement', labelNames: ['status'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

export const webhookRequests =
  existing<Counter>('webhook_requests_total') ??
  new Counter({ name: 'webhook_requests_total', help: 'Webhook intake answers by status and code', labelNames: ['status', 'code'] });

export const webhookBacklog =
  existing<Gauge>('webhook_signal_backlog') ??
  new Gauge({ name: 'webhook_signal_backlog', help: 'Signals appended but not yet handled by the auto-trading saga (last measurement)' });
