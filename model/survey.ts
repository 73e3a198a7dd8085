import { z } from 'zod';

/** NPS (0–10, "how likely to recommend"), CSAT (1–5, satisfaction), CES (1–7, "made it easy"). */
export const SurveyKind = z.enum(['nps', 'csat', 'ces']);
export type SurveyKind = z.infer<typeof SurveyKind>;

/** What an answer says about the customer, on every scale; closing the loop acts on it. */
export const AnswerClass = z.enum(['promoter', 'passive', 'detractor']);
export type AnswerClass = z.infer<typeof AnswerClass>;

/** The scale of each survey kind; stored with every answer so metrics never guess it. */
export const SURVEY_SCALES: Record<SurveyKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

/** Where the classes begin: at most `detractorAtMost` is a detractor, at least `promoterAtLeast` a promoter. */
export const AnswerThresholds = z
  .object({ detractorAtMost: z.number().int(), promoterAtLeast: z.number().int() })
  .strict()
  .refine((t) => t.detractorAtMost < t.promoterAtLeast, 'detractorAtMost must be below promoterAtLeast');
export type AnswerThresholds = z.infer<typeof AnswerThresholds>;

/** NPS 0–6 / 9–10, CSAT 1–2 / 4–5, CES 1–3 / 5–7 (CES reports the share of 5–7 as "easy"). */
export const DEFAULT_THRESHOLDS: Record<SurveyKind, AnswerThresholds> = {
  nps: { detractorAtMost: 6, promoterAtLeast: 9 },
  csat: { detractorAtMost: 2, promoterAtLeast: 4 },
  ces: { detractorAtMost: 3, promoterAtLeast: 5 },
};

export function scaleScores(kind: SurveyKind): number[] {
  const { min, max } = SURVEY_SCALES[kind];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

export function isOnScale(kind: SurveyKind, score: number): boolean {
  const { min, max } = SURVEY_SCALES[kind];
  return Number.isInteger(score) && score >= min && score <= max;
}

/** The class of an answer on its scale (thresholds: the journey's, else the kind's defaults). */
export function classifyAnswer(
  kind: SurveyKind,
  score: number,
  thresholds: AnswerThresholds = DEFAULT_THRESHOLDS[kind],
): AnswerClass {
  if (!isOnScale(kind, score)) {
    const { min, max } = SURVEY_SCALES[kind];
    const article = kind === 'nps' ? 'An' : 'A'; // "an N-P-S", "a C-SAT"
    throw new RangeError(
      `${article} ${kind.toUpperCase()} score is a whole number from ${min} to ${max}, got ${score}`,
    );
  }
  if (score >= thresholds.promoterAtLeast) return 'promoter';
  if (score > thresholds.detractorAtMost) return 'passive';
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
