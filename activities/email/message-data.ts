import type { Customer } from '../../model/customer';
import { scaleScores, type SurveyKind } from '../../model/survey';

/** Who sends: shown in every email's footer (CAN-SPAM and the Gmail/Yahoo rules want a postal address). */
export interface Sender {
  name: string;
  /** May be empty in development; production sets COMPANY_ADDRESS. */
  address: string;
  /** Where promoters are asked to write a review (REVIEW_URL); without it they are asked to recommend you. */
  reviewUrl?: string;
}

/** The customer's own links in every email: empty for transactional mail, which has no unsubscribe. */
export interface MessageLinks {
  unsubscribe: string;
  preferences: string;
}

export const NO_LINKS: MessageLinks = { unsubscribe: '', preferences: '' };

/**
 * The variables every email template can use. One definition, used by the send activity, by template
 * previews, and by `journeys validate` (which renders each template with it to catch variables nobody provides).
 */
export function messageData(
  customer: Pick<Customer, 'id' | 'name' | 'email' | 'locale' | 'timeZone' | 'attributes'>,
  context: { company: Sender; links: MessageLinks; survey?: { kind: SurveyKind; url: string } },
  runData: Record<string, unknown> = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = {
    customer: {
      id: customer.id,
      name: customer.name ?? '',
      email: customer.email,
      locale: customer.locale,
      timeZone: customer.timeZone,
      attributes: customer.attributes,
    },
    company: {
      name: context.company.name,
      address: context.company.address,
      reviewUrl: context.company.reviewUrl ?? '',
    },
    links: { unsubscribe: context.links.unsubscribe, preferences: context.links.preferences },
    data: runData,
  };
  const { survey } = context;
  if (survey) {
    data.survey = {
      url: survey.url,
      scores: scaleScores(survey.kind).map((score) => ({ score, url: `${survey.url}?score=${score}` })),
    };
  }
  return data;
}
