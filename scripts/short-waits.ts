import { JourneyCatalog } from '../client/journey-catalog';
import type { Journey, Step } from '../model/journey';

/**
 * The built-in journeys with the named waits (waitFor timeouts, wait durations; by step id) shortened,
 * so tests and the history recorder see whole runs in seconds on a real server.
 */
export function shortenedCatalog(waits: Record<string, string>, extra: Journey[] = []): JourneyCatalog {
  const shorten = (step: Step): Step => {
    if (!waits[step.id]) return step;
    if (step.type === 'waitFor') return { ...step, timeout: waits[step.id] };
    if (step.type === 'wait' && step.duration) return { ...step, duration: waits[step.id] };
    return step;
  };
  const journeys = JourneyCatalog.fromDirectory()
    .all()
    .map((journey): Journey => ({ ...journey, steps: journey.steps.map(shorten) }));
  return new JourneyCatalog([...journeys, ...extra]);
}
