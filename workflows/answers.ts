import type { JourneyEvent } from '../model/event';
import { SurveyAnswer, classifyAnswer } from '../model/survey';
import type { RunContext } from './run-context';

/**
 * Takes a survey answer into the run's state (answer.* for conditions and templates) and its timeline.
 * A later answer to the same survey is the customer changing their mind: it replaces the first, and the
 * timeline says so; the steps already taken stay taken.
 */
export function takeAnswer(ctx: RunContext, event: JourneyEvent, stepId: string | undefined): void {
  const answer = SurveyAnswer.parse(event.data);
  const answerClass = classifyAnswer(answer.kind, answer.score, ctx.input.journey.survey?.thresholds);
  const previous = ctx.state.answer;
  ctx.state.answer = {
    score: answer.score,
    kind: answer.kind,
    class: answerClass,
    comment: answer.comment,
    at: event.occurredAt,
  };
  const said = `${answer.score} (${answerClass})${answer.comment ? `: "${answer.comment}"` : ''}`;
  ctx.record({
    step: stepId,
    kind: 'answer',
    detail: previous ? `changed the answer from ${previous.score} to ${said}` : `answered ${said}`,
    data: { score: answer.score, class: answerClass, eventId: event.id },
  });
}
