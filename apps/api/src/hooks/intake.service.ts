import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StreamNotFoundError, WrongExpectedVersionError, type EventStore } from '#eventstore';
import { APP_CONFIG, CLOCK, EVENT_STORE, type AppConfig } from '#libs/platform';
import { signalDecider, signalStreamId, type SignalData } from '#libs/signals';
import {
  alertPayload, BODY_DEDUPE_WINDOW_MS, checkSignature, clientIp, dedupeKeyOf, ipAllowed, orderIntentOf, parseAlert,
  previousWindowKey, sameSecret, signalIdFor, type Alert, type DedupeKey,
} from '#libs/webhooks';
import { HookRefused, invalidSecret, invalidSignature, ipNotAllowed, missingCredentials, staleTimestamp } from './hook-errors.js';
import { SignalBacklog } from './signal-backlog.js';
import { WebhookDirectory, type ActiveWebhook } from './webhook-directory.js';

export interface HookRequest {
  webhookId: string;
  body: unknown;
  rawBody: Buffer;
  socketIp: string;
  forwardedFor?: string;
  signature?: string;
  timestamp?: string;
  idempotencyKey?: string;
}

export interface Accepted {
  signalId: string;
  duplicate: boolean;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
// Compared against when the webhook is unknown, so both paths do the same work.
const DECOY_SECRET = `whsec_${randomUUID()}`;

/** Intake: parse → authenticate → allow-list → validate → backpressure → one append → acknowledge. */
@Injectable()
export class IntakeService {
  private readonly trustedProxies: string[];

  constructor(
    private readonly directory: WebhookDirectory,
    private readonly backlog: SignalBacklog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.trustedProxies = config.TRUSTED_PROXIES?.split(',') ?? [];
  }

  async accept(request: HookRequest): Promise<Accepted> {
    const receivedAt = this.clock();
    const payload = alertPayload(request.body);
    const webhook = await this.authenticate(request, payload, receivedAt.getTime());
    if (!ipAllowed(clientIp(request.socketIp, request.forwardedFor, this.trustedProxies), webhook.ipAllowList)) throw ipNotAllowed();
    const alert = parseAlert(payload);
    if (request.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
      throw new HookRefused(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-128 printable characters');
    }
    const key = dedupeKeyOf(alert.alertId, request.idempotencyKey ?? null, request.rawBody, receivedAt.getTime());
    const earlier = await this.earlierCopy(webhook.webhookId, key, receivedAt.getTime());
    if (earlier) return { signalId: earlier, duplicate: true };
    if (this.backlog.full()) {
      throw new HookRefused(429, 'BACKLOG_FULL', `${this.backlog.depth} signals are waiting to be processed; retry later`, { retryAfterSeconds: 1 });
    }
    return this.record(webhook, alert, signalIdFor(webhook.webhookId, key), key, receivedAt);
  }

  /** The body secret or the signature; an unknown webhook fails exactly like a wrong secret. */
  private async authenticate(request: HookRequest, payload: Record<string, unknown>, nowMs: number): Promise<ActiveWebhook> {
    const webhook = await this.directory.find(request.webhookId);
    const secret = webhook?.secret ?? DECOY_SECRET;
    if (request.signature !== undefined) {
      const check = checkSignature(secret, request.timestamp ?? '', request.signature, request.rawBody, nowMs);
      if (check === 'stale_timestamp') throw staleTimestamp();
      if (check !== 'valid' || !webhook) throw invalidSignature();
      return webhook;
    }
    if (payload.secret === undefined) throw missingCredentials();
    if (typeof payload.secret !== 'string' || !sameSecret(payload.secret, secret) || !webhook) throw invalidSecret();
    return webhook;
  }

  /** Only body-hash keys need this: the previous aligned window may hold the same bytes from moments ago. */
  private async earlierCopy(webhookId: string, key: DedupeKey, nowMs: number): Promise<string | null> {
    const previous = previousWindowKey(key);
    if (!previous) return null;
    const signalId = signalIdFor(webhookId, previous);
    try {
      const [event] = await this.store.readStream(signalStreamId(signalId), { maxCount: 1 });
      const receivedAt = Date.parse((event.data as SignalData).receivedAt);
      return nowMs - receivedAt < BODY_DEDUPE_WINDOW_MS ? signalId : null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }

  /**
   * One append with `no_stream`: the derived signal id makes a second copy (a retry, a race on
   * another instance) lose with WrongExpectedVersion, which is exactly "duplicate".
   */
  private async record(webhook: ActiveWebhook, alert: Alert, signalId: string, key: DedupeKey, receivedAt: Date): Promise<Accepted> {
    const [event] = signalDecider.decide(
      {
        type: 'RecordSignal',
        data: {
          signalId, accountId: webhook.accountId, symbol: alert.symbol, side: alert.action, strategy: alert.strategy ?? webhook.strategy,
          strength: '1', price: alert.price, time: alert.time ?? receivedAt.toISOString(), source: 'webhook', receivedAt: receivedAt.toISOString(),
          metadata: {
            ...alert.metadata, webhookId: webhook.webhookId, dedupe: key.kind, order: orderIntentOf(webhook, alert),
            ...(alert.alertId === null ? {} : { alertId: alert.alertId }),
          },
        },
      },
      signalDecider.initialState,
    );
    try {
      await this.store.appendToStream(signalStreamId(signalId), [{ id: randomUUID(), type: event.type, data: event.data, metadata: { webhookId: webhook.webhookId } }], {
        expectedRevision: 'no_stream',
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return { signalId, duplicate: true };
      throw error;
    }
    this.backlog.noteAccepted();
    return { signalId, duplicate: false };
  }
}
