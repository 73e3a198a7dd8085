import type { CrmStep } from '../../model/journey';
import { durationMs } from '../../model/duration';
import type { Stores } from '../store';
import { renderText } from '../text-template';

export interface ApplyCrmInput {
  /** run + step: notes and tasks are written once per key */
  key: string;
  /** The run, which a task belongs to (closing the task signals it). */
  workflowId: string;
  customerId: string;
  update?: CrmStep['update'];
  note?: string;
  task?: CrmStep['task'];
  /** The run's context for {{placeholders}}; `now` is workflow time (due dates follow it). */
  context: Record<string, unknown>;
  now: string;
}

export interface ApplyCrmResult {
  updated: string[];
  note: boolean;
  /** The note as written, for the run's timeline. */
  noteText?: string;
  task?: { key: string; title: string; assignee?: string; dueAt: string };
}

/** The crm step: attribute updates, a note and a task on the built-in CRM store. */
export async function applyCrm(stores: Stores, input: ApplyCrmInput): Promise<ApplyCrmResult> {
  const result: ApplyCrmResult = { updated: [], note: false };
  if (input.update) {
    const values = Object.fromEntries(
      Object.entries(input.update).map(([k, v]) => [k, typeof v === 'string' ? renderText(v, input.context) : v]),
    );
    await stores.crm.updateAttributes(input.customerId, values);
    result.updated = Object.keys(values);
  }
  if (input.note) {
    const text = renderText(input.note, input.context);
    await stores.crm.addNote(input.key, input.customerId, text);
    result.note = true;
    result.noteText = text;
  }
  if (input.task) {
    const dueAt = new Date(Date.parse(input.now) + durationMs(input.task.due)).toISOString();
    const title = renderText(input.task.title, input.context);
    const assignee = input.task.assignee ? renderText(input.task.assignee, input.context) || undefined : undefined;
    await stores.crm.addTask({
      key: input.key,
      workflowId: input.workflowId,
      customerId: input.customerId,
      title,
      assignee,
      description: input.task.description ? renderText(input.task.description, input.context) : undefined,
      dueAt,
    });
    result.task = { key: input.key, title, assignee, dueAt };
  }
  return result;
}
