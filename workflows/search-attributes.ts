import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes that make runs findable (`touchpoint runs list`, the Web UI). */
export const JourneyIdKey = defineSearchAttributeKey('JourneyId', SearchAttributeType.KEYWORD);
export const JourneyVersionKey = defineSearchAttributeKey('JourneyVersion', SearchAttributeType.INT);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const JourneyStepKey = defineSearchAttributeKey('JourneyStep', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [JourneyIdKey, JourneyVersionKey, CustomerIdKey, JourneyStepKey];
