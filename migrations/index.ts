import { EventStore1732406400000 } from './1732406400000-event-store.js';
import { ProjectionCheckpoints1732406400100 } from './1732406400100-projection-checkpoints.js';
import { StreamCatalogue1732406400200 } from './1732406400200-stream-catalogue.js';
import { MarketBars1732406400300 } from './1732406400300-market-bars.js';
import { Accounts1732406401000 } from './1732406401000-accounts.js';
import { AccountReservations1732406401020 } from './1732406401020-account-reservations.js';
import { Signals1732406401030 } from './1732406401030-signals.js';
import { Orders1732406402000 } from './1732406402000-orders.js';
import { Portfolio1732406402010 } from './1732406402010-portfolio.js';
import { Webhooks1732406403000 } from './1732406403000-webhooks.js';
import { AppendPlans1732406403100 } from './1732406403100-append-plans.js';

export const migrations = [
  EventStore1732406400000,
  ProjectionCheckpoints1732406400100, StreamCatalogue1732406400200, MarketBars1732406400300,
  Accounts1732406401000, AccountReservations1732406401020, Signals1732406401030,
  Orders1732406402000, Portfolio1732406402010, Webhooks1732406403000,
  AppendPlans1732406403100];
