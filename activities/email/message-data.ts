import type { Customer } from '../../model/customer';
import { scaleScores, type SurveyKind } from '../../model/survey';

/**
 * The variables every email template can use. One definition, used by the send activity and by
 * `journeys validate` (which renders each template with it to catch variables nobody provides).
 */
export function messageData(
  customer: Pick<Customer, 'id' | 'name' | 'email' | 'attributes'>,
  survey?: { kind: SurveyKind; url: string },
  runData: Record<string, unknown> = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = {
    customer: { id: customer.id, name: customer.name ?? '', email: customer.email, attributes: customer.attributes },
    data: runData,
  };
  if (survey) {
    data.survey = {
      url: survey.url,
      scores: scaleScores(survey.kind).map((score) => ({ score, url: `${survey.url}?score=${score}` })),
    };
  }
  return data;
}
