import type { OpenAccountState, Reservation, Side } from './account.events.js';
import { dec, Decimal, toDecimalString } from './money.js';

type Book = Pick<OpenAccountState, 'reservations' | 'reservedCash' | 'openQuantity'>;

/**
 * The reservations with one order's entry replaced (next) or removed (null), and the running
 * totals moved by exactly the difference: the risk check then reads totals instead of summing
 * every resting order, so an account with thousands of them decides as fast as an empty one.
 * The map is persistent, never changed in place: older states (the command cache keeps some) stay
 * as they were.
 */
export function withReservation(book: Book, orderId: string, next: Reservation | null): Book {
  const held = book.reservations.get(orderId);
  if (!held && !next) return book;
  const reservations = next ? book.reservations.set(orderId, next) : book.reservations.delete(orderId);
  let reservedCash = dec(book.reservedCash);
  let openQuantity = book.openQuantity;
  if (held) {
    reservedCash = reservedCash.minus(held.cash);
    openQuantity = moved(openQuantity, held.symbol, held.side, dec(held.quantity).neg());
  }
  if (next) {
    reservedCash = reservedCash.plus(next.cash);
    openQuantity = moved(openQuantity, next.symbol, next.side, dec(next.quantity));
  }
  return { reservations, reservedCash: toDecimalString(reservedCash), openQuantity };
}

/** Quantity still open on one side of a symbol, summed over its reservations. */
export const openQuantityOf = (state: Pick<OpenAccountState, 'openQuantity'>, symbol: string, side: Side): Decimal =>
  dec(state.openQuantity[symbol]?.[side] ?? '0');

function moved(open: OpenAccountState['openQuantity'], symbol: string, side: Side, by: Decimal): OpenAccountState['openQuantity'] {
  const current = open[symbol] ?? { buy: '0', sell: '0' };
  return { ...open, [symbol]: { ...current, [side]: toDecimalString(dec(current[side]).plus(by)) } };
}
