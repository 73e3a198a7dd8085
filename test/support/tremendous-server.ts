import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server got: every request, in order, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
}

/** An order as the server keeps and answers it (the Tremendous shape, the fields Touchpoint uses). */
export interface TremendousOrderRecord {
  id: string;
  external_id: string | null;
  campaign_id: string | null;
  created_at: string;
  status: 'PENDING APPROVAL' | 'EXECUTED' | 'FAILED' | 'CANCELED';
  payment: { funding_source_id: string; subtotal: number; total: number; fees: number };
  rewards: {
    id: string;
    order_id: string;
    created_at: string;
    value: { denomination: number; currency_code: string };
    recipient: { name?: string; email: string };
    products?: string[];
    delivery: { method: 'EMAIL' | 'LINK'; status: 'PENDING' | 'SCHEDULED' | 'SUCCEEDED' | 'FAILED'; link?: string };
  }[];
}

/** A scripted misbehaviour of the next order POST. */
type Fault =
  { kind: 'status'; status: number; message: string } | { kind: 'drop-after-create' } | { kind: 'hang-after-create' };

/**
 * A local server speaking the Tremendous orders protocol (POST /api/v2/orders, GET /api/v2/orders?external_id=,
 * GET /api/v2/orders/:id) with Bearer authentication, `external_id` idempotency (a repeat answers the original
 * order, 201 by default as Tremendous does) and scripted trouble: approval holds, failures, errors, lost answers.
 */
export class TremendousTestServer {
  readonly requests: RecordedRequest[] = [];
  /** New orders wait in PENDING APPROVAL until `approve` (the account has order approvals on). */
  approvalRequired = false;
  /** What a repeated external_id answers: the original order with 201 (Tremendous) or 200, or a 409 conflict. */
  repeatStatus: 200 | 201 | 409 = 201;
  /** The external_id lookup lags behind (finds nothing), like an eventually consistent search index. */
  lookupLags = false;
  /** Where LINK rewards are redeemed (https, as emails require; this server does not serve them). */
  rewardLinkBase = 'https://testflight.tremendous.com/rewards/payout/';

  private readonly byId = new Map<string, TremendousOrderRecord>();
  private readonly faults: Fault[] = [];
  private readonly held = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((request, response) => void this.handle(request, response));
  url = '';

  constructor(
    readonly apiKey = 'TEST_tremendous-api-key',
    readonly fundingSourceId = 'balance',
  ) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next order POST answers `status` with a Tremendous error body (and creates nothing). */
  failNextOrder(status: number, message: string): void {
    this.faults.push({ kind: 'status', status, message });
  }

  /** The next order POST creates the order, then drops the connection: the client sees an error, the order exists. */
  dropAfterCreate(): void {
    this.faults.push({ kind: 'drop-after-create' });
  }

  /** The next order POST creates the order and never answers (the client's timeout fires). */
  hangAfterCreate(): void {
    this.faults.push({ kind: 'hang-after-create' });
  }

  orders(): TremendousOrderRecord[] {
    return [...this.byId.values()];
  }

  order(externalId: string): TremendousOrderRecord {
    const order = this.orders().find((o) => o.external_id === externalId);
    if (!order) throw new Error(`the Tremendous test server has no order with external_id ${externalId}`);
    return order;
  }

  /** An admin approves a PENDING APPROVAL order: it executes (EMAIL rewards are scheduled, LINK rewards ready). */
  approve(externalId: string): void {
    const order = this.order(externalId);
    if (order.status !== 'PENDING APPROVAL') throw new Error(`order ${order.id} is ${order.status}, not pending`);
    this.execute(order);
  }

  /** An admin rejects a PENDING APPROVAL order. */
  reject(externalId: string): void {
    this.order(externalId).status = 'CANCELED';
  }

  /** The reward email reached the recipient. */
  deliver(externalId: string): void {
    this.order(externalId).rewards[0].delivery.status = 'SUCCEEDED';
  }

  /** The reward email bounced. */
  failDelivery(externalId: string): void {
    this.order(externalId).rewards[0].delivery.status = 'FAILED';
  }

  private execute(order: TremendousOrderRecord): void {
    order.status = 'EXECUTED';
    const reward = order.rewards[0];
    if (reward.delivery.method === 'LINK') {
      reward.delivery = { method: 'LINK', status: 'SUCCEEDED', link: `${this.rewardLinkBase}${reward.id}` };
    } else {
      reward.delivery = { method: 'EMAIL', status: 'SCHEDULED' };
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const text = await readBody(request);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    this.requests.push({
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      body,
    });

    if (request.headers.authorization !== `Bearer ${this.apiKey}`) {
      return send(response, 401, { errors: { message: 'Unauthorized: the API key is missing or invalid' } });
    }
    if (request.method === 'POST' && url.pathname === '/api/v2/orders') return this.createOrder(body, response);
    if (request.method === 'GET' && url.pathname === '/api/v2/orders') {
      const externalId = url.searchParams.get('external_id');
      const orders = this.orders().filter(
        (order) => externalId === null || (!this.lookupLags && order.external_id === externalId),
      );
      return send(response, 200, { orders, total_count: orders.length });
    }
    const one = /^\/api\/v2\/orders\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && one) {
      const order = this.byId.get(decodeURIComponent(one[1]));
      return order
        ? send(response, 200, { order })
        : send(response, 404, { errors: { message: `Order ${one[1]} not found` } });
    }
    send(response, 404, { errors: { message: `No route ${request.method} ${url.pathname}` } });
  }

  private createOrder(body: unknown, response: ServerResponse): void {
    const problem = invalidOrder(body, this.fundingSourceId);
    if (problem) return send(response, 400, { errors: { message: problem.message, payload: problem.payload } });
    const input = body as OrderInput;

    const existing = input.external_id ? this.orders().find((o) => o.external_id === input.external_id) : undefined;
    if (existing) {
      return this.repeatStatus === 409
        ? send(response, 409, { errors: { message: `An order with external_id ${input.external_id} exists` } })
        : send(response, this.repeatStatus, { order: existing });
    }

    const fault = this.faults.shift();
    if (fault?.kind === 'status') return send(response, fault.status, { errors: { message: fault.message } });

    const order = this.newOrder(input);
    if (fault?.kind === 'drop-after-create') {
      response.socket?.destroy();
      return;
    }
    if (fault?.kind === 'hang-after-create') {
      this.held.add(response);
      return;
    }
    send(response, 201, { order });
  }

  private newOrder(input: OrderInput): TremendousOrderRecord {
    const now = new Date().toISOString();
    const id = tremendousId();
    const value = input.reward.value.denomination;
    const order: TremendousOrderRecord = {
      id,
      external_id: input.external_id ?? null,
      campaign_id: input.reward.campaign_id ?? null,
      created_at: now,
      status: 'PENDING APPROVAL',
      payment: { funding_source_id: input.payment.funding_source_id, subtotal: value, total: value, fees: 0 },
      rewards: [
        {
          id: tremendousId(),
          order_id: id,
          created_at: now,
          value: { denomination: value, currency_code: input.reward.value.currency_code },
          recipient: input.reward.recipient,
          ...(input.reward.products && { products: input.reward.products }),
          delivery: { method: input.reward.delivery?.method ?? 'EMAIL', status: 'PENDING' },
        },
      ],
    };
    if (!this.approvalRequired) this.execute(order);
    this.byId.set(id, order);
    return order;
  }
}

interface OrderInput {
  external_id?: string;
  payment: { funding_source_id: string };
  reward: {
    value: { denomination: number; currency_code: string };
    campaign_id?: string;
    products?: string[];
    recipient: { name?: string; email: string };
    delivery?: { method: 'EMAIL' | 'LINK' };
  };
}

/** The checks Tremendous makes on an order body, with its style of message. */
function invalidOrder(body: unknown, fundingSourceId: string): { message: string; payload?: object } | undefined {
  const input = body as Partial<OrderInput> | undefined;
  if (!input || typeof input !== 'object') return { message: 'The request body must be a JSON object' };
  if (input.payment?.funding_source_id !== fundingSourceId) {
    return { message: 'Funding source not found', payload: { payment: { funding_source_id: ['is invalid'] } } };
  }
  const reward = input.reward;
  if (!reward) return { message: 'A reward is required', payload: { reward: ['is missing'] } };
  if (!(reward.value?.denomination > 0) || !/^[A-Z]{3}$/.test(reward.value?.currency_code ?? '')) {
    return { message: 'The reward value is invalid', payload: { reward: { value: ['is invalid'] } } };
  }
  if (!reward.campaign_id && !reward.products?.length) {
    return {
      message: 'Either products or campaign_id must be specified',
      payload: { reward: { products: ['blank'] } },
    };
  }
  if (!reward.recipient?.email) {
    return { message: 'The recipient needs an email', payload: { reward: { recipient: { email: ['blank'] } } } };
  }
  if (reward.delivery && !['EMAIL', 'LINK'].includes(reward.delivery.method)) {
    return { message: 'Unknown delivery method', payload: { reward: { delivery: { method: ['is invalid'] } } } };
  }
  return undefined;
}

/** Tremendous ids: 12 upper-case letters and digits. */
function tremendousId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startTremendousServer(): Promise<TremendousTestServer> {
  return new TremendousTestServer().start();
}
