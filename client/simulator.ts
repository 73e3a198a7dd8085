import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from '../activities';
import { ContactGate } from '../activities/policy/contact-policy';
import { DEFAULT_CONTACT_POLICY, type ContactPolicy } from '../model/contact-policy';
import { RecordingMailer } from '../activities/email/recording-mailer';
import { TemplateLibrary } from '../activities/email/templates';
import { openDatabase } from '../activities/store/database';
import { createStores } from '../activities/store';
import { invitationIdFor } from '../activities/survey/invitation-token';
import { durationMs } from '../model/duration';
import type { JourneyEvent } from '../model/event';
import { journeyWorkflowId, reentryOf, type Journey } from '../model/journey';
import { readPath } from '../model/path';
import type { RunState } from '../model/run';
import type { SimulatedCustomer, SimulatedEvents } from '../model/simulation';
import { startTimeSkippingEnvironment } from '../scripts/test-server';
import { bundleJourneyWorkflows } from '../worker/bundle';
import { installWorkerRuntime } from '../worker/runtime';
import { eventSignal, stateQuery } from '../workflows/definitions';
import type { journey as journeyWorkflow } from '../workflows/journey';
import { PROJECT_ROOT } from './paths';
import type { GiftCatalog } from '../model/gift';

const DAY = 24 * 60 * 60 * 1000;

export interface SimulationOptions {
  journey: Journey;
  customer: SimulatedCustomer;
  events?: SimulatedEvents;
  /** Data of the triggering event; a trigger key the journey needs is filled in when missing. */
  triggerData?: Record<string, unknown>;
  days?: number;
  /** Continue as new after this many steps (to exercise long-lived runs quickly). */
  continueAsNewAfterSteps?: number;
  templatesDir?: string;
  workflowBundle?: WorkflowBundleOption;
  /** The contact policy sends pass (consent, caps, quiet hours at simulated time); default: the defaults. */
  policy?: ContactPolicy;
  /** The gift catalog gift steps book from; default: the built-in one. */
  giftCatalog?: GiftCatalog;
  log?: (line: string) => void;
}

export interface SimulationResult {
  workflowId: string;
  startedAt: string;
  /** true when the run ended within the simulated days */
  finished: boolean;
  /** Why the run failed, when it did (e.g. a template that cannot render). */
  failure?: string;
  state: RunState;
  /** What would have been sent: rendered, not delivered. */
  messages: { at: string; to: string; subject: string; text?: string }[];
}

/**
 * The journey simulator: the real interpreter on Temporal's time-skipping test server, with the real
 * activities on dry-run ports (templates rendered into a recording mailer, an in-memory database), so
 * days of a journey pass in seconds and nothing reaches a customer.
 */
export async function simulateJourney(options: SimulationOptions): Promise<SimulationResult> {
  const log = options.log ?? (() => {});
  const days = options.days ?? 30;
  const { journey, customer } = options;
  // Before the test environment, which would otherwise create the SDK runtime itself. ERROR: the test
  // server's missing capabilities make the SDK warn about things a simulation does not use.
  installWorkerRuntime('ERROR');
  log('Starting the time-skipping test server ...');
  const env = await startTimeSkippingEnvironment({ log });
  const db = await openDatabase({ kind: 'pglite' });
  try {
    const stores = createStores(db);
    const { id, ...input } = customer;
    await stores.customers.upsert(id, input);
    const mailer = new RecordingMailer();
    const activities = {
      ...createActivities({
        stores,
        templates: new TemplateLibrary(options.templatesDir ?? path.join(PROJECT_ROOT, 'templates')),
        mailer,
        gate: new ContactGate(db, options.policy ?? DEFAULT_CONTACT_POLICY),
        secret: randomBytes(32).toString('hex'),
        publicUrl: 'https://touchpoint.invalid/',
        mailFrom: 'Touchpoint simulator <simulator@touchpoint.invalid>',
        company: { name: 'Touchpoint simulator', address: 'Simulation Street 1' },
        giftCatalog: options.giftCatalog,
      }),
      // Dry run: no HTTP call leaves the simulator.
      callWebhook: async () => ({ status: 0, dryRun: true }),
    };
    const taskQueue = `simulate-${randomUUID()}`;
    if (!options.workflowBundle) log('Bundling the workflow code ...');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: options.workflowBundle ?? (await bundleJourneyWorkflows()),
      activities,
    });

    const trigger: JourneyEvent = {
      id: 'sim-trigger',
      type: journey.trigger.event,
      customerId: id,
      occurredAt: new Date(await env.currentTimeMs()).toISOString(),
      data: { ...triggerKeyData(journey), ...options.triggerData },
    };
    const key = journey.trigger.key ? String(readPath(trigger, journey.trigger.key)) : undefined;
    const workflowId = journeyWorkflowId(journey, id, reentryOf(journey) === 'once' ? undefined : key);

    return await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof journeyWorkflow>('journey', {
        workflowId,
        taskQueue,
        args: [
          {
            journey,
            customerId: id,
            customer: { locale: input.locale, timeZone: input.timeZone, attributes: input.attributes },
            key,
            trigger,
            simulation: true,
            continueAsNewAfterSteps: options.continueAsNewAfterSteps,
          },
        ],
      });
      const start = await env.currentTimeMs();
      const events = [...(options.events ?? [])].sort((a, b) => durationMs(a.after) - durationMs(b.after));
      for (const [index, planned] of events.entries()) {
        const due = start + durationMs(planned.after);
        if (due > start + days * DAY) break;
        await env.sleep(Math.max(0, due - (await env.currentTimeMs())));
        if (!(await isRunning(handle))) break;
        log(`  ${planned.after}: ${planned.type}`);
        await handle.signal(eventSignal, {
          id: `sim-event-${index + 1}`,
          type: planned.type,
          customerId: id,
          occurredAt: new Date(due).toISOString(),
          data: completeEventData(journey, workflowId, planned),
        });
      }
      const end = start + days * DAY;
      const remaining = end - (await env.currentTimeMs());
      if ((await isRunning(handle)) && remaining > 0) await env.sleep(remaining);
      const finished = !(await isRunning(handle));
      let failure: string | undefined;
      let state: RunState;
      try {
        state = finished ? ((await handle.result()) as RunState) : await handle.query(stateQuery);
      } catch (error) {
        // A failed run still answers its state query (the worker replays it): show how far it got.
        failure = rootCause(error);
        state = await handle.query(stateQuery);
      }
      return {
        workflowId,
        // Day 0 begins when the run started (its first timeline entry), not when we first read the clock.
        startedAt: state.timeline[0]?.at ?? new Date(start).toISOString(),
        finished,
        failure,
        state,
        // Activities run in real time; the run's own 'sent' entries carry the simulated time.
        messages: mailer.messages.map((m) => ({
          at: state.timeline.find((e) => e.kind === 'sent' && e.data?.messageId === m.messageId)?.at ?? '',
          to: m.to,
          subject: m.subject,
          text: m.text,
        })),
      };
    });
  } finally {
    await db.close();
    await env.teardown();
  }
}

function rootCause(error: unknown): string {
  let cause = error as { cause?: unknown; message?: string };
  while (cause.cause) cause = cause.cause as typeof cause;
  return cause.message ?? String(error);
}

async function isRunning(handle: { describe(): Promise<{ status: { name: string } }> }): Promise<boolean> {
  return (await handle.describe()).status.name === 'RUNNING';
}

/** A trigger key the journey needs ("data.ticketId") gets a sample value, so a bare simulation runs. */
function triggerKeyData(journey: Journey): Record<string, unknown> {
  const match = /^data\.([a-zA-Z0-9_]+)$/.exec(journey.trigger.key ?? '');
  return match ? { [match[1]]: 'SIM-1' } : {};
}

/** A simulated survey answer names the run's invitation and survey kind, as the survey page would. */
function completeEventData(journey: Journey, workflowId: string, event: SimulatedEvents[number]) {
  if (event.type !== 'survey.answered' || !journey.survey) return event.data;
  return { invitationId: invitationIdFor(workflowId), kind: journey.survey.kind, ...event.data };
}

/** The simulation as a readable day-by-day timeline. */
export function formatSimulation(result: SimulationResult, days: number): string {
  const start = new Date(result.startedAt).getTime();
  const lines: string[] = [];
  let lastDay = -1;
  for (const entry of result.state.timeline) {
    const offset = new Date(entry.at).getTime() - start;
    const day = Math.floor(offset / DAY);
    if (day !== lastDay) {
      lines.push(`Day ${day}`);
      lastDay = day;
    }
    const time = new Date(entry.at).toISOString().slice(11, 16);
    lines.push(`  ${time}  ${entry.kind.padEnd(9)} ${entry.step ? `[${entry.step}] ` : ''}${entry.detail}`);
  }
  lines.push(
    '',
    result.failure
      ? `Failed at step ${result.state.currentStep ?? '?'}: ${result.failure}`
      : result.finished
        ? `Ended: ${result.state.outcome ?? 'done'}`
        : `Still running after ${days} days, at step ${result.state.currentStep ?? '?'}`,
  );
  if (result.messages.length) {
    lines.push('', 'Messages (rendered, not sent)');
    for (const m of result.messages) {
      lines.push(`  Day ${Math.floor((new Date(m.at).getTime() - start) / DAY)}  to ${m.to}: "${m.subject}"`);
    }
  }
  return lines.join('\n');
}
