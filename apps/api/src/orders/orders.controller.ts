import { Body, Controller, Delete, Get, Inject, NotFoundException, Param, Post, Query, UnprocessableEntityException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CommandHandler, uuidFromName } from '#eventstore';
import { APP_CONFIG, CLOCK, type AppConfig } from '#libs/platform';
import { checkPlaceOrder, orderDecider, orderStreamId } from '#libs/trading';
import { brokerSettingsFrom, latestPriceFrom, placeOrder, type PlacementDeps } from '#projections/sagas';
import { AccountGuard } from '../auth/account.guard.js';
import { CurrentAccount } from '../auth/current-account.decorator.js';
import { ListOrdersDto } from './list-orders.dto.js';
import { FILL_COLUMNS, fillFromRow, ORDER_COLUMNS, orderFromRow, orderFromState, page } from './order-views.js';
import { PlaceOrderDto } from './place-order.dto.js';

const OPEN = ['pending', 'accepted', 'triggered', 'partially_filled'];
const ORDER_ID = /^[0-9a-f-]{36}$/;

@ApiTags('orders')
@ApiBearerAuth()
@UseGuards(AccountGuard)
@Controller('orders')
export class OrdersController {
  private readonly placement: PlacementDeps;

  constructor(private readonly db: DataSource, private readonly commands: CommandHandler, @Inject(CLOCK) private readonly clock: () => Date, @Inject(APP_CONFIG) config: AppConfig) {
    this.placement = { commands, clock, broker: brokerSettingsFrom(config) };
  }

  /** Synchronous to the outcome, so a refused order answers 422 with its reason; a repeated clientOrderId answers the original order. */
  @Post()
  async place(@CurrentAccount() accountId: string, @Body() dto: PlaceOrderDto) {
    const orderId = uuidFromName(`order:${accountId}:${dto.clientOrderId}`);
    const order = checkPlaceOrder({ data: { ...dto, orderId, accountId, limitPrice: dto.limitPrice ?? null, stopPrice: dto.stopPrice ?? null, placedAt: this.clock().toISOString() } });
    const state = await placeOrder(this.placement, order, latestPriceFrom(this.db));
    if (state.status === 'none') throw new Error(`order ${orderId} was not written`);
    if (state.status === 'rejected') {
      throw new UnprocessableEntityException({ code: state.reason, message: `order ${orderId} was rejected: ${state.reason}`, details: { order: orderFromState(state) } });
    }
    return orderFromState(state);
  }

  @Delete(':id')
  async cancel(@CurrentAccount() accountId: string, @Param('id') orderId: string) {
    await this.ownOrder(accountId, orderId);
    const at = this.clock().toISOString();
    const { state } = await this.commands.handle(orderStreamId(orderId), orderDecider, { type: 'CancelOrder', data: { orderId, reason: 'requested', at } }, { commandId: `cancel:${orderId}` });
    return orderFromState(state as Exclude<typeof state, { status: 'none' }>);
  }

  @Get()
  async list(@CurrentAccount() accountId: string, @Query() q: ListOrdersDto) {
    const statuses = q.status === undefined ? null : q.status === 'open' ? OPEN : [q.status];
    const rows = await this.db.query(
      `select ${ORDER_COLUMNS} from orders
        where account_id = $1 and ($2::text[] is null or status = any($2)) and ($3::text is null or symbol = $3) and ($4::bigint is null or seq < $4)
        order by seq desc limit $5`,
      [accountId, statuses, q.symbol ?? null, q.cursor ?? null, q.limit + 1],
    );
    const { items, nextCursor } = page(rows, q.limit, orderFromRow);
    return { orders: items, nextCursor };
  }

  /** The read model when it has the order; the order's own stream right after placement, before it catches up. */
  @Get(':id')
  async one(@CurrentAccount() accountId: string, @Param('id') orderId: string) {
    const [row] = ORDER_ID.test(orderId) ? await this.db.query(`select ${ORDER_COLUMNS} from orders where order_id = $1 and account_id = $2`, [orderId, accountId]) : [];
    if (!row) return { ...orderFromState(await this.ownOrder(accountId, orderId)), fills: [] };
    const fills = await this.db.query(`select ${FILL_COLUMNS} from fills where order_id = $1 order by seq`, [orderId]);
    return { ...orderFromRow(row), fills: fills.map(fillFromRow) };
  }

  /** Another account's order is as unknown as a missing one: its existence is not disclosed. */
  private async ownOrder(accountId: string, orderId: string) {
    const { state } = ORDER_ID.test(orderId) ? await this.commands.load(orderStreamId(orderId), orderDecider) : { state: orderDecider.initialState };
    if (state.status === 'none' || state.order.accountId !== accountId) throw new NotFoundException({ code: 'ORDER_NOT_FOUND', message: `order ${orderId} does not exist` });
    return state;
  }
}
