import type { Database } from './database';
import { CustomerStore } from './customers';
import { EventStore } from './events';
import { InboxStore } from './inbox';
import { InvitationStore } from './invitations';
import { JourneyStore } from './journeys';
import { SendLog } from './send-log';

/** All stores over one database. */
export function createStores(db: Database) {
  return {
    db,
    customers: new CustomerStore(db),
    events: new EventStore(db),
    sendLog: new SendLog(db),
    invitations: new InvitationStore(db),
    inbox: new InboxStore(db),
    journeys: new JourneyStore(db),
  };
}
export type Stores = ReturnType<typeof createStores>;
