import { deciderSpec, fold } from '../test/decider-test.js';
import { reserveFor, type FlatReservation } from '../test/reservation-order.js';
import { accountDecider } from './account.decider.js';
import type { AccountEvent, AccountSettings, FillSettled, OpenAccountState, ReserveForOrder, SettleFill } from './account.events.js';
import { buyingPower } from './account.rules.js';
import {
  AccountAlreadyOpenedError, AccountNotFoundError, InsufficientFundsError, InvalidCommandError, InvalidFillError, OrderRejectedError,
} from './errors.js';
import { InvalidDecimalError } from './money.js';

const spec = deciderSpec(accountDecider);
const at = '2024-03-01T14:30:00.000Z';
const accountId = 'a1';
const settings: AccountSettings = { allowShort: false, maxOrderNotional: null, maxPositionQuantity: {} };
const opened = (over: Partial<AccountSettings> = {}, deposit = '10000'): AccountEvent => ({
  type: 'AccountOpened', data: { accountId, name: 'Desk', openingDeposit: deposit, settings: { ...settings, ...over }, apiKeyHash: 'h1', openedAt: at },
});
const reserve = (over: Partial<FlatReservation> = {}): ReserveForOrder =>
  reserveFor({ accountId, orderId: 'o1', symbol: 'AAPL', side: 'buy', quantity: '10', price: '100', estimatedFee: '1', at, ...over });
const reserved = (over: Partial<FlatReservation> & { reservedCash?: string } = {}): AccountEvent => {
  const { reservedCash = '1001', ...rest } = over;
  const { data } = reserve(rest);
  const { orderId, symbol, side, quantity } = data.order;
  return { type: 'OrderFundsReserved', data: { accountId, orderId, symbol, side, quantity, price: data.price, estimatedFee: data.estimatedFee, reservedCash, at, order: data.order } };
};
const settle = (over: Partial<SettleFill['data']> = {}): SettleFill => ({
  type: 'SettleFill', data: { accountId, orderId: 'o1', fillId: 'f1', symbol: 'AAPL', side: 'buy', quantity: '10', price: '100', fee: '1', at, ...over },
});
const settled = (data: Partial<FillSettled['data']>): FillSettled => ({ type: 'FillSettled', data: { ...settle().data, ...data } as FillSettled['data'] });

describe('account decider', () => {
  describe('OpenAccount', () => {
    const open = { type: 'OpenAccount' as const, data: { accountId, name: 'Desk', openingDeposit: '10000.00', settings, apiKeyHash: 'h1', at } };
    it('opens with a canonical deposit', () => spec.given([]).when(open).then([opened()]));
    it('refuses to open twice', () => spec.given([opened()]).when(open).thenThrows(AccountAlreadyOpenedError, 'ACCOUNT_ALREADY_OPENED'));
    it('refuses a negative deposit', () => spec.given([]).when({ ...open, data: { ...open.data, openingDeposit: '-1' } }).thenThrows(InvalidDecimalError, 'INVALID_DECIMAL'));
    it('refuses cash finer than 8 decimals', () =>
      spec.given([]).when({ ...open, data: { ...open.data, openingDeposit: '1.000000001' } }).thenThrows(InvalidCommandError, 'INVALID_COMMAND'));
    it('refuses settings with a bad position limit', () =>
      spec.given([]).when({ ...open, data: { ...open.data, settings: { ...settings, maxPositionQuantity: { AAPL: '0' } } } }).thenThrows(InvalidDecimalError));
  });

  describe('DepositFunds / WithdrawFunds', () => {
    const deposit = { type: 'DepositFunds' as const, data: { accountId, transferId: 't1', amount: '0.1', at } };
    it('deposits exactly', () =>
      spec.given([opened({}, '0.2')]).when(deposit).then([{ type: 'FundsDeposited', data: { ...deposit.data, cashAfter: '0.3' } }]));
    it('a redelivered deposit emits nothing', () =>
      spec.given([opened(), { type: 'FundsDeposited', data: { ...deposit.data, cashAfter: '10000.1' } }]).when(deposit).then([]));
    it('refuses a deposit to an unknown account', () => spec.given([]).when(deposit).thenThrows(AccountNotFoundError, 'ACCOUNT_NOT_FOUND'));
    it('refuses a zero deposit', () => spec.given([opened()]).when({ ...deposit, data: { ...deposit.data, amount: '0' } }).thenThrows(InvalidDecimalError));

    const withdraw = (amount: string) => ({ type: 'WithdrawFunds' as const, data: { accountId, transferId: 't2', amount, at } });
    it('withdraws what is not reserved', () =>
      spec.given([opened(), reserved()]).when(withdraw('8999'))
        .then([{ type: 'FundsWithdrawn', data: { ...withdraw('8999').data, cashAfter: '1001' } }]));
    it('refuses to withdraw reserved cash', () =>
      spec.given([opened(), reserved()]).when(withdraw('8999.00000001')).thenThrows(InsufficientFundsError, 'INSUFFICIENT_FUNDS'));
  });

  describe('ChangeAccountSettings / RotateApiKey', () => {
    it('changes settings', () => {
      const data = { accountId, settings: { ...settings, allowShort: true }, at };
      spec.given([opened()]).when({ type: 'ChangeAccountSettings', data }).then([{ type: 'AccountSettingsChanged', data }]);
    });
    it('refuses settings without allowShort', () =>
      spec.given([opened()]).when({ type: 'ChangeAccountSettings', data: { accountId, settings: { maxOrderNotional: null } as never, at } })
        .thenThrows(InvalidCommandError));
    it('rotates the api key hash, once', () => {
      const data = { accountId, apiKeyHash: 'h2', at };
      spec.given([opened()]).when({ type: 'RotateApiKey', data }).then([{ type: 'ApiKeyRotated', data }]);
      spec.given([opened(), { type: 'ApiKeyRotated', data }]).when({ type: 'RotateApiKey', data }).then([]);
    });
  });

  describe('ReserveForOrder', () => {
    it('reserves notional plus fee for a buy', () => spec.given([opened()]).when(reserve()).then([reserved()]));
    it('reserving again for the same order emits nothing, even after release', () => {
      spec.given([opened(), reserved()]).when(reserve()).then([]);
      const released: AccountEvent = { type: 'OrderReservationReleased', data: { accountId, orderId: 'o1', reason: 'cancelled', releasedQuantity: '10', releasedCash: '1001', at } };
      spec.given([opened(), reserved(), released]).when(reserve()).then([]);
    });
    it('rejects an unknown account', () => spec.given([]).when(reserve()).thenThrows(OrderRejectedError, 'ACCOUNT_NOT_FOUND'));
    it('refuses to reserve for another account\'s order', () => {
      const command = reserve();
      spec.given([opened()]).when({ ...command, data: { ...command.data, order: { ...command.data.order, accountId: 'a2' } } }).thenThrows(InvalidCommandError, 'INVALID_COMMAND');
    });
    it('rejects a buy beyond buying power, counting other open orders', () =>
      spec.given([opened(), reserved({ orderId: 'o0', quantity: '90', reservedCash: '9000' })]).when(reserve())
        .thenThrows(OrderRejectedError, 'INSUFFICIENT_BUYING_POWER'));
    it('accepts a buy that uses exactly the buying power', () =>
      spec.given([opened({}, '1001')]).when(reserve()).then([reserved()]));
    it('rejects an order above maxOrderNotional', () =>
      spec.given([opened({ maxOrderNotional: '999.99' })]).when(reserve()).thenThrows(OrderRejectedError, 'MAX_ORDER_NOTIONAL_EXCEEDED'));
    it('rejects a buy that could take the position above its limit, counting open buys', () =>
      spec.given([opened({ maxPositionQuantity: { '*': '15' } }), reserved({ orderId: 'o0', quantity: '6', reservedCash: '600' })]).when(reserve())
        .thenThrows(OrderRejectedError, 'MAX_POSITION_EXCEEDED'));
    it('rejects a sell without a position when shorting is off', () =>
      spec.given([opened()]).when(reserve({ side: 'sell' })).thenThrows(OrderRejectedError, 'SHORT_SELLING_NOT_ALLOWED'));

    const long10 = settled({ cashDelta: '-1001', cashAfter: '8999', realizedPnl: '0', position: { quantity: '10', costBasis: '1001', averageCost: '100.1', realizedPnl: '0' }, reservation: null });
    it('reserves position, not cash, for a covered sell', () =>
      spec.given([opened(), long10]).when(reserve({ side: 'sell', orderId: 's1' })).then([reserved({ side: 'sell', orderId: 's1', reservedCash: '0' })]));
    it('rejects a sell of quantity already promised to another open sell', () =>
      spec.given([opened(), long10, reserved({ side: 'sell', orderId: 's0', quantity: '6', reservedCash: '0' })])
        .when(reserve({ side: 'sell', orderId: 's1', quantity: '5' })).thenThrows(OrderRejectedError, 'SHORT_SELLING_NOT_ALLOWED'));
    it('collateralises the short part of a sell when shorting is on', () =>
      spec.given([opened({ allowShort: true }), long10]).when(reserve({ side: 'sell', orderId: 's1', quantity: '15' }))
        .then([reserved({ side: 'sell', orderId: 's1', quantity: '15', reservedCash: '501' })]));
    it('lets a reducing order through when the position is above a newer limit', () =>
      spec.given([opened({ maxPositionQuantity: { AAPL: '5' } }), long10]).when(reserve({ side: 'sell', orderId: 's1', quantity: '2' }))
        .then([reserved({ side: 'sell', orderId: 's1', quantity: '2', reservedCash: '0' })]));
    it('refuses a malformed price', () => spec.given([opened()]).when(reserve({ price: '1,5' })).thenThrows(InvalidDecimalError));
  });

  describe('SettleFill', () => {
    it('settles a buy at a better price and releases the difference', () =>
      spec.given([opened(), reserved()]).when(settle({ price: '99', fee: '0.99' })).then([settled({
        price: '99', fee: '0.99', cashDelta: '-990.99', cashAfter: '9009.01', realizedPnl: '0',
        position: { quantity: '10', costBasis: '990.99', averageCost: '99.099', realizedPnl: '0' }, reservation: { quantity: '0', cash: '0' },
      })]));
    it('keeps the reservation pro rata for the unfilled part', () => {
      const history = [opened(), reserved()];
      spec.given(history).when(settle({ quantity: '4', price: '100', fee: '0.4' })).then([settled({
        quantity: '4', fee: '0.4', cashDelta: '-400.4', cashAfter: '9599.6', realizedPnl: '0',
        position: { quantity: '4', costBasis: '400.4', averageCost: '100.1', realizedPnl: '0' }, reservation: { quantity: '6', cash: '600.6' },
      })]);
    });
    it('is idempotent by fillId', () =>
      spec.given([opened(), reserved(), settled({ cashDelta: '-1001', cashAfter: '8999', realizedPnl: '0', position: { quantity: '10', costBasis: '1001', averageCost: '100.1', realizedPnl: '0' }, reservation: { quantity: '0', cash: '0' } })])
        .when(settle()).then([]));
    it('refuses a fill whose side contradicts the reservation', () =>
      spec.given([opened(), reserved()]).when(settle({ side: 'sell' })).thenThrows(InvalidFillError, 'INVALID_FILL'));
    it('refuses a fill for an unknown account', () => spec.given([]).when(settle()).thenThrows(AccountNotFoundError));
  });

  describe('ReleaseReservation', () => {
    const release = { type: 'ReleaseReservation' as const, data: { accountId, orderId: 'o1', reason: 'cancelled' as const, at } };
    it('releases what is still held', () =>
      spec.given([opened(), reserved()]).when(release)
        .then([{ type: 'OrderReservationReleased', data: { accountId, orderId: 'o1', reason: 'cancelled', releasedQuantity: '10', releasedCash: '1001', at } }]));
    it('releasing again, or for an unknown order, emits nothing', () => {
      spec.given([opened()]).when(release).then([]);
      spec.given([opened(), reserved(), { type: 'OrderReservationReleased', data: { accountId, orderId: 'o1', reason: 'cancelled', releasedQuantity: '10', releasedCash: '1001', at } }])
        .when(release).then([]);
    });
    it('refuses an unknown account', () => spec.given([]).when(release).thenThrows(AccountNotFoundError));
  });

  it('a fully settled order no longer holds buying power', () => {
    const state = fold(accountDecider, [opened(), reserved(), ...accountDecider.decide(settle({ price: '99', fee: '0.99' }), fold(accountDecider, [opened(), reserved()]))]);
    expect(buyingPower(state as OpenAccountState).toFixed()).toBe('9009.01');
  });
});
