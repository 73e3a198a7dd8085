import { ApplicationFailure } from '@temporalio/common';
import { renderText } from '../text-template';

export interface CallWebhookInput {
  /** run + step: sent as Idempotency-Key, so the receiver can drop a retried call */
  key: string;
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  /** The step's body template; without one, the run's customer, journey, data and answer as JSON. */
  body?: string;
  context: Record<string, unknown>;
}

export interface CallWebhookResult {
  status: number;
  /** Set by the simulator's stand-in: nothing was called. */
  dryRun?: boolean;
}

/**
 * The webhook step's HTTP call. 2xx: done. 408/429/5xx and network errors: thrown, so Temporal retries
 * with backoff. Any other 4xx: the receiver refused the request, and a retry would not change that.
 */
export async function callWebhook(input: CallWebhookInput): Promise<CallWebhookResult> {
  const { customerId, journeyId, data, answer } = input.context;
  const body = input.body
    ? renderText(input.body, input.context)
    : JSON.stringify({ customerId, journeyId, data, answer });
  const response = await fetch(input.url, {
    method: input.method,
    headers: { 'content-type': 'application/json', 'idempotency-key': input.key, 'user-agent': 'Touchpoint' },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = (await response.text()).slice(0, 500);
  if (response.ok) return { status: response.status };
  const message = `${input.method} ${input.url} answered ${response.status}${text ? `: ${text}` : ''}`;
  if (response.status >= 500 || response.status === 408 || response.status === 429) throw new Error(message);
  throw ApplicationFailure.nonRetryable(message, 'WebhookRefused');
}
