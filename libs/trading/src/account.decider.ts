import { Map as ImmutableMap } from 'immutable';
import type { Decider } from '#eventstore';
import type {
  AccountCommand, AccountEvent, AccountState, FillSettled, OpenAccountState, ReleaseReservation, Reservation, ReserveForOrder, SettleFill,
} from './account.events.js';
import { buyingPower, checkSettings, parseCash, requireText, reservationFor } from './account.rules.js';
import { AccountAlreadyOpenedError, AccountNotFoundError, InsufficientFundsError, InvalidCommandError, InvalidFillError, OrderRejectedError } from './errors.js';
import { dec, Decimal, parseNonNegative, parsePositive, roundCashUp, toDecimalString } from './money.js';
import { addId, emptyIdSet, hasId } from './id-set.js';
import { applyFill, FLAT_POSITION } from './position.js';
import { withReservation } from './account.reservations.js';

function opened(state: AccountState, accountId: string): OpenAccountState {
  if (state.status === 'none') throw new AccountNotFoundError(accountId);
  return state;
}

function decide(command: AccountCommand, state: AccountState): AccountEvent[] {
  switch (command.type) {
    case 'OpenAccount': {
      const { data } = command;
      if (state.status !== 'none') throw new AccountAlreadyOpenedError(data.accountId);
      requireText(data.accountId, 'accountId');
      requireText(data.name, 'name');
      requireText(data.apiKeyHash, 'apiKeyHash');
      const deposit = parseCash(data.openingDeposit, 'openingDeposit', { positive: false });
      checkSettings(data.settings);
      return [{ type: 'AccountOpened', data: {
        accountId: data.accountId, name: data.name, openingDeposit: toDecimalString(deposit), settings: data.settings, apiKeyHash: data.apiKeyHash, openedAt: data.at,
      } }];
    }
    case 'DepositFunds': {
      const { data } = command;
      const account = opened(state, data.accountId);
      if (hasId(account.transferIds, data.transferId)) return [];
      const amount = parseCash(data.amount, 'amount', { positive: true });
      const cashAfter = toDecimalString(dec(account.cash).plus(amount));
      return [{ type: 'FundsDeposited', data: { accountId: data.accountId, transferId: data.transferId, amount: toDecimalString(amount), cashAfter, at: data.at } }];
    }
    case 'WithdrawFunds': {
      const { data } = command;
      const account = opened(state, data.accountId);
      if (hasId(account.transferIds, data.transferId)) return [];
      const amount = parseCash(data.amount, 'amount', { positive: true });
      const available = buyingPower(account);
      if (amount.gt(available)) throw new InsufficientFundsError(`cannot withdraw ${amount.toFixed()}: ${available.toFixed()} is free of reservations`);
      const cashAfter = toDecimalString(dec(account.cash).minus(amount));
      return [{ type: 'FundsWithdrawn', data: { accountId: data.accountId, transferId: data.transferId, amount: toDecimalString(amount), cashAfter, at: data.at } }];
    }
    case 'ChangeAccountSettings': {
      opened(state, command.data.accountId);
      checkSettings(command.data.settings);
      return [{ type: 'AccountSettingsChanged', data: command.data }];
    }
    case 'RotateApiKey': {
      const account = opened(state, command.data.accountId);
      requireText(command.data.apiKeyHash, 'apiKeyHash');
      if (account.apiKeyHash === command.data.apiKeyHash) return [];
      return [{ type: 'ApiKeyRotated', data: command.data }];
    }
    case 'ReserveForOrder':
      return reserve(command, state);
    case 'SettleFill':
      return settle(command, opened(state, command.data.accountId));
    case 'ReleaseReservation':
      return release(command, opened(state, command.data.accountId));
    default: {
      const unknown: never = command;
      throw new Error(`unknown account command ${(unknown as { type: string }).type}`);
    }
  }
}

function reserve({ type, data }: ReserveForOrder, state: AccountState): AccountEvent[] {
  const { order } = data;
  if (order.accountId !== data.accountId) throw new InvalidCommandError(`order ${order.orderId} belongs to account ${order.accountId}, not ${data.accountId}`);
  if (state.status === 'none') throw new OrderRejectedError('ACCOUNT_NOT_FOUND', `account ${data.accountId} does not exist`);
  if (hasId(state.reservedOrderIds, order.orderId)) return [];
  const reservedCash = reservationFor(state, { type, data });
  return [{ type: 'OrderFundsReserved', data: {
    accountId: data.accountId, orderId: order.orderId, symbol: order.symbol, side: order.side,
    quantity: toDecimalString(dec(order.quantity)), price: toDecimalString(dec(data.price)), estimatedFee: toDecimalString(dec(data.estimatedFee)),
    reservedCash: toDecimalString(reservedCash), at: data.at, order,
  } }];
}

/**
 * A fill is a fact the venue already decided, so settlement never refuses one for lack of cash:
 * a market order filled beyond its slippage allowance may leave cash below its reservation.
 * The reservation shrinks pro rata to the quantity still open; whatever the fill cost less than
 * its share (price improvement, a lower fee) becomes buying power again.
 */
function settle({ data }: SettleFill, account: OpenAccountState): AccountEvent[] {
  if (hasId(account.fillIds, data.fillId)) return [];
  const quantity = parsePositive(data.quantity, 'quantity');
  const price = parsePositive(data.price, 'price');
  const fee = parseNonNegative(data.fee, 'fee');
  const held = account.reservations.get(data.orderId);
  if (held && (held.symbol !== data.symbol || held.side !== data.side)) {
    throw new InvalidFillError(`fill ${data.fillId} is ${data.side} ${data.symbol}, order ${data.orderId} reserved ${held.side} ${held.symbol}`);
  }
  const result = applyFill(account.positions[data.symbol] ?? FLAT_POSITION, data.side, quantity, price, fee);
  let reservation: FillSettled['data']['reservation'] = null;
  if (held) {
    const remaining = Decimal.max(0, dec(held.quantity).minus(quantity));
    const cash = remaining.isZero() ? new Decimal(0) : roundCashUp(dec(held.cash).times(remaining).div(held.quantity));
    reservation = { quantity: toDecimalString(remaining), cash: toDecimalString(cash) };
  }
  return [{ type: 'FillSettled', data: {
    accountId: data.accountId, orderId: data.orderId, fillId: data.fillId, symbol: data.symbol, side: data.side,
    quantity: toDecimalString(quantity), price: toDecimalString(price), fee: toDecimalString(fee),
    cashDelta: result.cashDelta, cashAfter: toDecimalString(dec(account.cash).plus(result.cashDelta)),
    realizedPnl: result.realizedPnl, position: result.position, reservation, at: data.at,
  } }];
}

function release({ data }: ReleaseReservation, account: OpenAccountState): AccountEvent[] {
  const held = account.reservations.get(data.orderId);
  if (!held) return [];
  return [{ type: 'OrderReservationReleased', data: {
    accountId: data.accountId, orderId: data.orderId, reason: data.reason, releasedQuantity: held.quantity, releasedCash: held.cash, at: data.at,
  } }];
}

function evolve(state: AccountState, event: AccountEvent): AccountState {
  if (event.type === 'AccountOpened') {
    const { data } = event;
    return {
      status: 'open', accountId: data.accountId, name: data.name, cash: data.openingDeposit, settings: data.settings, apiKeyHash: data.apiKeyHash,
      reservations: ImmutableMap<string, Reservation>(), reservedCash: '0', openQuantity: {}, positions: {}, transferIds: emptyIdSet(), reservedOrderIds: emptyIdSet(), fillIds: emptyIdSet(),
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'FundsDeposited':
    case 'FundsWithdrawn':
      return { ...state, cash: event.data.cashAfter, transferIds: addId(state.transferIds, event.data.transferId) };
    case 'AccountSettingsChanged':
      return { ...state, settings: event.data.settings };
    case 'ApiKeyRotated':
      return { ...state, apiKeyHash: event.data.apiKeyHash };
    case 'OrderFundsReserved': {
      const { orderId, symbol, side, quantity, price, reservedCash, order } = event.data;
      return {
        ...state,
        ...withReservation(state, orderId, { orderId, symbol, side, quantity, price, cash: reservedCash, order }),
        reservedOrderIds: addId(state.reservedOrderIds, orderId),
      };
    }
    case 'FillSettled': {
      const { orderId, fillId, symbol, reservation, position, cashAfter } = event.data;
      const held = state.reservations.get(orderId);
      // settle() reports a reservation only for an order that holds one; a zero remainder frees it.
      const book = reservation && held ? withReservation(state, orderId, reservation.quantity === '0' ? null : { ...held, ...reservation }) : {};
      return { ...state, ...book, cash: cashAfter, positions: { ...state.positions, [symbol]: position }, fillIds: addId(state.fillIds, fillId) };
    }
    case 'OrderReservationReleased':
      return { ...state, ...withReservation(state, event.data.orderId, null) };
    default: {
      const unknown: never = event;
      throw new Error(`unknown account event ${(unknown as { type: string }).type}`);
    }
  }
}

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: { status: 'none' },
  decide,
  evolve,
};
