import type { Database } from './database';
import { CustomerStore } from './customers';
import { EventStore } from './events';
import { InboxStore } from './inbox';
import { CrmStore } from './crm';
import { GiftOrderStore } from './gift-orders';
import { GiftReports } from './gift-reports';
import { GiftLedger } from './gifts';
import { OrderStore } from './orders';
import { RunOutcomes } from './run-outcomes';
import { CouponStore } from './coupons';
import { InvitationStore } from './invitations';
import { JourneyStore } from './journeys';
import { SendLog } from './send-log';
import { ContactPreferences } from './contact-preferences';
import { Suppressions } from './suppressions';
import { SurveyResponses } from './survey-responses';
import { SurveyMetricsStore } from './survey-metrics';
import { WinbackMetricsStore } from './winback-metrics';

/** All stores over one database. */
export function createStores(db: Database) {
  return {
    db,
    customers: new CustomerStore(db),
    events: new EventStore(db),
    orders: new OrderStore(db),
    runOutcomes: new RunOutcomes(db),
    coupons: new CouponStore(db),
    sendLog: new SendLog(db),
    invitations: new InvitationStore(db),
    inbox: new InboxStore(db),
    journeys: new JourneyStore(db),
    crm: new CrmStore(db),
    giftOrders: new GiftOrderStore(db),
    giftReports: new GiftReports(db),
    gifts: new GiftLedger(db),
    preferences: new ContactPreferences(db),
    suppressions: new Suppressions(db),
    responses: new SurveyResponses(db),
    surveyMetrics: new SurveyMetricsStore(db),
    winbackMetrics: new WinbackMetricsStore(db),
  };
}
export type Stores = ReturnType<typeof createStores>;
