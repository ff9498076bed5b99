import { alertPayload, AlertError, parseAlert, type Alert } from './alert.js';

const tradingView = {
  secret: 'whsec_x', ticker: 'BINANCE:BTCUSDT', action: 'BUY', contracts: '0.015', price: 64000.5, strategy: 'sma-cross',
  alertId: 'tv-1', time: '2024-03-01T14:30:00Z', interval: '60',
};

const problem = (run: () => unknown): { code: string; status: number; field?: string } => {
  try {
    run();
  } catch (error) {
    if (error instanceof AlertError) return { code: error.code, status: error.status, field: error.field };
    throw error;
  }
  throw new Error('expected an AlertError');
};

describe('alert parsing', () => {
  it('reads a TradingView strategy alert', () => {
    expect(parseAlert(alertPayload(tradingView))).toEqual<Alert>({
      secret: 'whsec_x', symbol: 'BTCUSDT', action: 'buy', quantity: '0.015', percentOfEquity: null, price: '64000.5', orderType: null,
      strategy: 'sma-cross', alertId: 'tv-1', time: '2024-03-01T14:30:00.000Z', metadata: { exchange: 'BINANCE', interval: '60' },
    });
  });
  it('reads the same alert sent as text/plain (a Buffer or a string)', () => {
    const text = JSON.stringify(tradingView);
    expect(parseAlert(alertPayload(Buffer.from(text)))).toEqual(parseAlert(alertPayload(tradingView)));
    expect(parseAlert(alertPayload(`  ${text}\n`))).toEqual(parseAlert(alertPayload(tradingView)));
  });
  it('reads a minimal close with a percent, epoch time and producer metadata', () => {
    const alert = parseAlert({ symbol: 'aapl', action: 'close', time: 1709303400000, id: 42, metadata: { bar: 7 } });
    expect(alert).toMatchObject({ symbol: 'AAPL', action: 'close', alertId: '42', time: '2024-03-01T14:30:00.000Z', metadata: { producer: { bar: 7 } } });
    expect(parseAlert({ symbol: 'AAPL', action: 'sell', percent: '12.5' }).percentOfEquity).toBe('12.5');
  });
  it.each([
    ['an empty body', ''],
    ['whitespace', '  \n'],
    ['not JSON', 'buy AAPL now'],
    ['truncated JSON', '{"symbol":"AAPL","action":'],
    ['a JSON array', '[{"symbol":"AAPL"}]'],
    ['a JSON string', '"buy"'],
    ['JSON null', 'null'],
  ])('refuses %s as malformed (400)', (_name, body) => expect(problem(() => alertPayload(body))).toMatchObject({ code: 'MALFORMED_ALERT', status: 400 }));
  it.each([
    ['no action', { symbol: 'AAPL' }, 'action'],
    ['an unknown action', { symbol: 'AAPL', action: 'hold' }, 'action'],
    ['no symbol', { action: 'buy' }, 'symbol'],
    ['a symbol with spaces', { symbol: 'AA PL', action: 'buy' }, 'symbol'],
    ['two exchange prefixes', { ticker: 'A:B:C', action: 'buy' }, 'ticker'],
    ['symbol and ticker that disagree', { symbol: 'AAPL', ticker: 'MSFT', action: 'buy' }, 'symbol'],
    ['a zero quantity', { symbol: 'AAPL', action: 'buy', quantity: 0 }, 'quantity'],
    ['a negative quantity', { symbol: 'AAPL', action: 'buy', quantity: '-1' }, 'quantity'],
    ['an exponent quantity', { symbol: 'AAPL', action: 'buy', quantity: '1e3' }, 'quantity'],
    ['a quantity in words', { symbol: 'AAPL', action: 'buy', quantity: 'ten' }, 'quantity'],
    ['quantity and percent', { symbol: 'AAPL', action: 'buy', quantity: '1', percent: '5' }, 'quantity'],
    ['a percent over 100', { symbol: 'AAPL', action: 'buy', percent: '150' }, 'percent'],
    ['a zero price', { symbol: 'AAPL', action: 'buy', price: '0' }, 'price'],
    ['a limit order without price', { symbol: 'AAPL', action: 'buy', orderType: 'limit' }, 'price'],
    ['a stop order', { symbol: 'AAPL', action: 'buy', orderType: 'stop' }, 'orderType'],
    ['a time without zone', { symbol: 'AAPL', action: 'buy', time: '2024-03-01T14:30:00' }, 'time'],
    ['a time in 1970', { symbol: 'AAPL', action: 'buy', time: 0 }, 'time'],
    ['an unfilled template placeholder time', { symbol: 'AAPL', action: 'buy', time: '{{timenow}}' }, 'time'],
    ['an alert id with spaces', { symbol: 'AAPL', action: 'buy', alertId: 'a b' }, 'alertId'],
    ['an alert id that is an object', { symbol: 'AAPL', action: 'buy', alertId: { a: 1 } }, 'alertId'],
    ['a secret that is a number', { symbol: 'AAPL', action: 'buy', secret: 123 }, 'secret'],
    ['metadata that is an array', { symbol: 'AAPL', action: 'buy', metadata: [1] }, 'metadata'],
    ['oversized metadata', { symbol: 'AAPL', action: 'buy', metadata: { x: 'y'.repeat(3000) } }, 'metadata'],
    ['a misspelt field', { symbol: 'AAPL', action: 'buy', quantitty: '1' }, 'quantitty'],
  ])('refuses %s as invalid (422) naming the field', (_name, payload, field) =>
    expect(problem(() => parseAlert(payload as Record<string, unknown>))).toEqual({ code: 'INVALID_ALERT', status: 422, field }));
});
