import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import type { ChurnScanInput, ChurnScanProgress, ChurnScanSettings } from '../model/churn-scan';
import { churnScanProgressQuery, type churnScan } from '../workflows/churn-scan';

/** No such scan, or no schedule (CHURN_SCAN_SCHEDULE is "off"): HTTP 404. */
export class ChurnScanNotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChurnScanNotFound';
  }
}

export interface ChurnScanScheduleConfig {
  /** Cron expression, or "off" for no schedule. */
  cron: string;
  timeZone: string;
  settings: ChurnScanSettings;
}

/** One scan as `status` shows it: the workflow, when the schedule took it, and its progress. */
export interface ChurnScanRun {
  workflowId: string;
  scheduledAt?: string;
  status: string;
  progress?: ChurnScanProgress;
}

export interface ChurnScanStatus {
  scheduleId: string;
  /** false when CHURN_SCAN_SCHEDULE is "off": there is no schedule, so nothing to pause, resume or trigger. */
  scheduled: boolean;
  paused: boolean;
  note?: string;
  /** This server's CHURN_SCAN_SCHEDULE and CHURN_SCAN_TIME_ZONE (every start brings the schedule up to them). */
  cron: string;
  timeZone: string;
  /** What the schedule's scans start with. */
  settings: ChurnScanSettings;
  nextRuns: string[];
  running: ChurnScanRun[];
  recent: ChurnScanRun[];
}

/**
 * The daily churn scan's Temporal Schedule: created (or brought up to date) on start-up, so starting twice,
 * or on several machines, leaves one schedule. Pause, resume and trigger act on that schedule; status shows
 * the scans it started with their progress (a query on each scan workflow).
 */
export class ChurnScans {
  readonly scheduleId: string;

  constructor(private readonly deps: { client: Client; taskQueue: string; config: ChurnScanScheduleConfig }) {
    // One schedule per task queue: several Touchpoints (or test runs) on one Temporal namespace stay apart.
    this.scheduleId = `${deps.taskQueue}-churn-scan`;
  }

  private get handle() {
    return this.deps.client.schedule.getHandle(this.scheduleId);
  }

  private action(): ScheduleOptionsStartWorkflowAction<typeof churnScan> {
    const input: ChurnScanInput = { settings: this.deps.config.settings };
    return {
      type: 'startWorkflow',
      workflowType: 'churnScan',
      // Temporal appends the scheduled time, e.g. touchpoint-churn-scan-2026-11-23T03:00:00Z.
      workflowId: this.scheduleId,
      taskQueue: this.deps.taskQueue,
      args: [input],
    };
  }

  /** Creates the schedule, or updates an existing one to this configuration (keeping it paused if it was). */
  async ensure(): Promise<'created' | 'updated' | 'removed' | 'off'> {
    const { cron, timeZone } = this.deps.config;
    if (cron === 'off') {
      try {
        await this.handle.delete();
        return 'removed';
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return 'off';
        throw error;
      }
    }
    const spec = { cronExpressions: [cron], timezone: timeZone };
    const policies = { overlap: 'SKIP' as const, catchupWindow: '1 day' as const };
    try {
      await this.deps.client.schedule.create({ scheduleId: this.scheduleId, spec, action: this.action(), policies });
      return 'created';
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
    await this.handle.update((previous) => ({
      spec,
      action: this.action(),
      policies,
      state: { paused: previous.state.paused, note: previous.state.note },
    }));
    return 'updated';
  }

  async pause(note = 'paused with touchpoint churn-scan pause'): Promise<ChurnScanStatus> {
    await this.existing((handle) => handle.pause(note));
    return this.status();
  }

  async resume(note = 'resumed with touchpoint churn-scan resume'): Promise<ChurnScanStatus> {
    await this.existing((handle) => handle.unpause(note));
    return this.status();
  }

  /** Starts a scan now (unless one is running: the schedule skips overlaps); returns its workflow id. */
  async trigger(): Promise<ChurnScanRun> {
    const before = new Set((await this.describe()).info.recentActions.map((a) => a.action.workflow.workflowId));
    await this.existing((handle) => handle.trigger('SKIP'));
    // The schedule starts the workflow asynchronously: wait (up to 30 s on a busy server) until it shows up.
    for (let attempt = 0; attempt < 300; attempt++) {
      const { info } = await this.describe();
      const started = [...info.runningActions, ...info.recentActions.map((a) => a.action)].find(
        (action) => !before.has(action.workflow.workflowId),
      );
      if (started) return this.run(started.workflow.workflowId);
      const running = info.runningActions[0];
      if (running && attempt >= 10) return this.run(running.workflow.workflowId); // skipped: one is running
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the churn scan schedule ${this.scheduleId} did not start a scan; see the Temporal UI`);
  }

  async status(): Promise<ChurnScanStatus> {
    const { config } = this.deps;
    const base = {
      scheduleId: this.scheduleId,
      cron: config.cron,
      timeZone: config.timeZone,
      settings: config.settings,
    };
    let description: ScheduleDescription;
    try {
      description = await this.handle.describe();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      return { ...base, scheduled: false, paused: false, nextRuns: [], running: [], recent: [] };
    }
    const running = await Promise.all(description.info.runningActions.map((a) => this.run(a.workflow.workflowId)));
    const runningIds = new Set(running.map((r) => r.workflowId));
    const recent = await Promise.all(
      description.info.recentActions
        .filter((a) => !runningIds.has(a.action.workflow.workflowId))
        .slice(-5)
        .reverse()
        .map(async (a) => ({
          ...(await this.run(a.action.workflow.workflowId)),
          scheduledAt: a.scheduledAt.toISOString(),
        })),
    );
    // The settings the schedule's scans start with (the last Touchpoint started wrote them), not this process's.
    const input = (description.action.args?.[0] ?? {}) as ChurnScanInput;
    return {
      ...base,
      settings: input.settings ?? base.settings,
      scheduled: true,
      paused: description.state.paused,
      note: description.state.note,
      nextRuns: description.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
      running,
      recent,
    };
  }

  /** A scan's status and progress (its query answers while it runs and after it completed). */
  async run(workflowId: string): Promise<ChurnScanRun> {
    const handle = this.deps.client.workflow.getHandle<typeof churnScan>(workflowId);
    try {
      const description = await handle.describe();
      const status = description.status.name.toLowerCase();
      let progress: ChurnScanProgress | undefined;
      try {
        progress = await handle.query(churnScanProgressQuery);
      } catch {
        // A scan that failed before registering its query, or whose worker is gone: status only.
      }
      return { workflowId, status, progress };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new ChurnScanNotFound(`no churn scan "${workflowId}"`);
      throw error;
    }
  }

  private async describe(): Promise<ScheduleDescription> {
    let description: ScheduleDescription | undefined;
    await this.existing(async (handle) => {
      description = await handle.describe();
    });
    return description!;
  }

  private async existing(act: (handle: ReturnType<Client['schedule']['getHandle']>) => Promise<void>): Promise<void> {
    try {
      await act(this.handle);
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) {
        throw new ChurnScanNotFound(
          `there is no churn scan schedule (${this.scheduleId}): CHURN_SCAN_SCHEDULE is "off"; set it to a cron expression and restart`,
        );
      }
      throw error;
    }
  }
}
