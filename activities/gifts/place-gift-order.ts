import { ApplicationFailure } from '@temporalio/common';
import { GiftOrderRequest, type ProviderOrder } from '../../model/gift-provider';
import { problemsOf } from '../../model/validation';
import { GiftProviderError, type GiftProvider } from './provider';

/**
 * Orders a gift from the configured provider. Idempotent per `externalId` (the run + step key), so Temporal
 * may retry it freely: the same id returns the original order with `repeated: true`. A temporary provider
 * failure is thrown as is (retried by the activity's retry policy); a permanent one, or a request that is not
 * valid, is a non-retryable failure whose message says what to fix.
 */
export async function placeGiftOrder(provider: GiftProvider, input: GiftOrderRequest): Promise<ProviderOrder> {
  const parsed = GiftOrderRequest.safeParse(input);
  if (!parsed.success) {
    const problems = problemsOf(parsed.error).map((p) => `${p.path}: ${p.message}`);
    throw ApplicationFailure.nonRetryable(`the gift order is not valid: ${problems.join('; ')}`, 'InvalidGiftOrder');
  }
  return failureOf(() => provider.placeOrder(parsed.data));
}

/** The order placed under `externalId` with its current status (polling when a status webhook is lost). */
export async function getGiftOrder(provider: GiftProvider, externalId: string): Promise<ProviderOrder | undefined> {
  return failureOf(() => provider.getOrder(externalId));
}

async function failureOf<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GiftProviderError) {
      if (error.kind === 'permanent')
        throw ApplicationFailure.nonRetryable(error.message, 'GiftProviderPermanentError');
      throw ApplicationFailure.retryable(error.message, 'GiftProviderTemporaryError');
    }
    throw error;
  }
}
