import { createHash } from 'node:crypto';
import type { Stores } from '../../activities/store';
import type { Customer } from '../../model/customer';
import { EventInput } from '../../model/event';
import type { SupportTicketEvent } from '../../model/support-webhook';
import { InputError } from '../../model/validation';
import type { EventRouter, RouteResult } from '../event-router';

/** A webhook without valid credentials: 401, and nothing was read or recorded. */
export class WebhookUnauthorized extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUnauthorized';
  }
}

/** The endpoint's secret is not configured: 503 naming the variable (unsigned calls are never accepted). */
export class WebhookNotConfigured extends Error {
  constructor(readonly variable: string) {
    super(
      `this webhook is not configured: set ${variable} (see docs/support-systems.md); ` +
        'until then every call is refused, because an unverified call could start surveys for anyone',
    );
    this.name = 'WebhookNotConfigured';
  }
}

/** The raw body (already verified) as JSON; InputError (400) with path "(body)" when it is not JSON. */
export function parseJsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new InputError([{ path: '(body)', message: `not valid JSON: ${(error as Error).message}` }], 'Bad body');
  }
}

/** What a webhook answers (202): the routing, or why the notification changed nothing. */
export type TicketEventResult =
  | ({ source: string; customerId: string; customerCreated: boolean } & RouteResult)
  | { source: string; ignored: string; supportEventId: string; ticketId: string };

/**
 * Turns a verified support-system notification into Touchpoint events and routes them:
 * solved → `ticket.solved` (starts the survey journey), reopened → `ticket.reopened` (the built-in journey
 * lists it under `exit`, so the ticket's survey run ends), anything else → ignored, nothing recorded.
 *
 * Deduplication: the event id is `<source>:<support system's event id>`, so a retry of the same delivery is
 * `duplicate`; another notification of the same solved ticket (a trigger firing twice) gets its own id but
 * the survey journey is once per ticket (`trigger.key: data.ticketId`), so the router lists the run under
 * `existing` and starts nothing.
 */
export class TicketEvents {
  constructor(private readonly deps: { stores: Stores; router: EventRouter }) {}

  async handle(ticket: SupportTicketEvent): Promise<TicketEventResult> {
    const { source } = ticket;
    const eventId = `${source}:${ticket.eventId}`;
    if (ticket.status === 'other') {
      return {
        source,
        ignored: `status "${ticket.rawStatus}" is neither solved nor a reopening: nothing to do`,
        supportEventId: ticket.eventId,
        ticketId: ticket.ticketId,
      };
    }
    if (ticket.status === 'reopened') {
      // A reopening only ends runs; creating a customer for it would record someone we never survey.
      const customer = await this.findCustomer(ticket);
      if (!customer) {
        return {
          source,
          ignored: 'the requester is not a Touchpoint customer, so there is no survey run to end',
          supportEventId: ticket.eventId,
          ticketId: ticket.ticketId,
        };
      }
      const result = await this.deps.router.route(
        EventInput.parse({
          id: eventId,
          type: 'ticket.reopened',
          customerId: customer.id,
          occurredAt: ticket.occurredAt,
          data: { ticketId: ticket.ticketId, source },
        }),
      );
      return { source, customerId: customer.id, customerCreated: false, ...result };
    }
    const data = Object.fromEntries(
      Object.entries({
        ticketId: ticket.ticketId,
        subject: ticket.subject,
        team: ticket.team,
        agent: ticket.agent,
        agentEmail: ticket.agentEmail,
        ticketUrl: ticket.ticketUrl,
        source,
      }).filter(([, value]) => value !== undefined),
    );
    // Validate the event before creating anyone, so a bad notification changes nothing.
    const draft = { id: eventId, type: 'ticket.solved', occurredAt: ticket.occurredAt, data };
    EventInput.parse({ ...draft, customerId: 'validation-only' });
    const { customer, created } = await this.customerFor(ticket);
    const result = await this.deps.router.route(EventInput.parse({ ...draft, customerId: customer.id }));
    return { source, customerId: customer.id, customerCreated: created, ...result };
  }

  /**
   * The requester as a customer. One rule, in this order:
   * 1. the customer `<source>-<requester id>` (created by an earlier webhook, or by you with that id);
   * 2. else the (oldest) customer with the requester's email, whatever its id (your CRM's customers);
   * 3. else a new customer `<source>-<requester id>` (or `<source>-<hash of the email>` when the body has no
   *    requester id) from the email, name and language in the body, time zone UTC.
   * Without an email (Zendesk event subscriptions carry only the requester id) only rule 1 can apply.
   */
  private async customerFor(ticket: SupportTicketEvent): Promise<{ customer: Customer; created: boolean }> {
    const known = await this.findCustomer(ticket);
    if (known) return { customer: known, created: false };
    const { requester, source } = ticket;
    if (!requester.email) {
      const id = customerIdFor(source, requester.externalId);
      throw new InputError(
        [
          {
            path: 'detail.requester_id',
            message:
              `unknown requester: no customer "${id}", and this notification carries no email to create one; ` +
              `create the customer with PUT /v1/customers/${id}, or send the trigger body from ` +
              "docs/support-systems.md (it includes the requester's email)",
          },
        ],
        'Unknown requester',
      );
    }
    const id = customerIdFor(source, requester.externalId, requester.email);
    return this.deps.stores.customers.createIfAbsent(id, {
      email: requester.email,
      name: requester.name,
      locale: requester.locale ?? 'en',
      timeZone: 'UTC',
      attributes: {
        createdBy: `${source}-webhook`,
        ...(requester.externalId ? { [`${source}Id`]: requester.externalId } : {}),
      },
    });
  }

  private async findCustomer(ticket: SupportTicketEvent): Promise<Customer | undefined> {
    const { customers } = this.deps.stores;
    const { requester, source } = ticket;
    if (requester.externalId) {
      const byId = await customers.get(customerIdFor(source, requester.externalId));
      if (byId) return byId;
    }
    return requester.email ? customers.findByEmail(requester.email) : undefined;
  }
}

/** `zendesk-123`; without a requester id, a stable id from the email that does not put the address into run ids. */
export function customerIdFor(source: string, externalId: string | undefined, email?: string): string {
  if (externalId) return `${source}-${externalId.replace(/[/\s]/g, '_')}`;
  const digest = createHash('sha256')
    .update((email ?? '').trim().toLowerCase())
    .digest('hex');
  return `${source}-${digest.slice(0, 20)}`;
}
