import { z } from 'zod';

export const SurveyKind = z.enum(['nps']);
export type SurveyKind = z.infer<typeof SurveyKind>;

export const NpsClass = z.enum(['promoter', 'passive', 'detractor']);
export type NpsClass = z.infer<typeof NpsClass>;

/** The scale of each survey kind; stored with every answer so metrics never guess it. */
export const SURVEY_SCALES: Record<SurveyKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
};

export function scaleScores(kind: SurveyKind): number[] {
  const { min, max } = SURVEY_SCALES[kind];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

/** NPS classes: promoters 9–10, passives 7–8, detractors 0–6. */
export function classifyNps(score: number): NpsClass {
  if (!Number.isInteger(score) || score < 0 || score > 10) {
    throw new RangeError(`An NPS score is a whole number from 0 to 10, got ${score}`);
  }
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

/** The payload of a `survey.answered` event, built by the survey page after a human's POST. */
export const SurveyAnswer = z.object({
  invitationId: z.string().min(1),
  kind: SurveyKind,
  score: z.number().int(),
  comment: z.string().max(5000).optional(),
});
export type SurveyAnswer = z.infer<typeof SurveyAnswer>;
