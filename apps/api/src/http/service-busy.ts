/** How long a client should wait before retrying a request refused for lack of a database connection. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * SQLSTATEs that say "not now" rather than "never": too_many_connections (the server's, a
 * database's or a role's limit) and cannot_connect_now (the server is starting or shutting down).
 */
const BUSY_SQLSTATES = new Set(['53300', '57P03']);

/**
 * pg-pool gives up waiting for a free client with a plain Error and only this message
 * (connectionTimeoutMillis); pg's client says this when its own connect times out.
 */
const BUSY_MESSAGES = new Set(['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout']);

/**
 * True when the error (or what it wraps: TypeORM's driverError, an Error's cause) is PostgreSQL
 * or the pool refusing a connection for load. The client did nothing wrong and the request can
 * succeed a moment later, so it deserves a 503 with Retry-After, not a 500.
 */
export function isServiceBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const { code, driverError, cause } = e as Error & { code?: unknown; driverError?: unknown };
    if ((typeof code === 'string' && BUSY_SQLSTATES.has(code)) || BUSY_MESSAGES.has(e.message)) return true;
    e = driverError ?? cause;
  }
  return false;
}
