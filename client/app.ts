import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { WorkflowBundleOption } from '@temporalio/worker';
import {
  churnScanSettingsOf,
  churnSettingsOf,
  contactPolicyOf,
  giftProviderSettingsOf,
  type EnvConfig,
} from './config';
import type { ContactPolicy } from '../model/contact-policy';
import { ContactGate } from '../activities/policy/contact-policy';
import type { Journey } from '../model/journey';
import { createActivities } from '../activities';
import { createSmtpMailer, smtpMailerOptionsOf } from '../activities/email/mailer';
import { startSmtpSink, type SmtpSink } from '../activities/email/smtp-sink';
import { TemplateLibrary } from '../activities/email/templates';
import { openDatabase, type DatabaseTarget } from '../activities/store/database';
import { createStores, type Stores } from '../activities/store';
import { startJourneyWorker } from '../worker/worker';
import { startDevServer, type DevServer } from '../scripts/dev-server';
import { connectClient, ensureSearchAttributes, type TemporalTarget } from './temporal';
import { EventRouter } from './event-router';
import { Milestones, milestoneRulesOf } from './milestones';
import { JourneyCatalog } from './journey-catalog';
import { Runs } from './runs';
import { SurveyAnswers } from './survey-answers';
import { ContactPreferenceService } from './contact-preferences';
import { CrmTasks } from './crm-tasks';
import { ChurnScans } from './churn-scans';
import { buildHttpServer } from './http/server';
import { PROJECT_ROOT } from './paths';
import { GiftAddresses } from './gift-addresses';
import { loadGiftCatalog } from '../activities/gifts/catalog';
import { createGiftProvider } from '../activities/gifts/providers';
import type { GiftCatalog } from '../model/gift';
import { ChurnModelCache } from '../activities/scoring/churn-model-cache';

export interface StartOptions {
  config: EnvConfig;
  log?: (line: string) => void;
  /** Overrides, mainly for tests: an existing Temporal server, another database, port 0, ... */
  temporal?: TemporalTarget;
  database?: DatabaseTarget;
  port?: number;
  smtpSinkPort?: number;
  taskQueue?: string;
  catalog?: JourneyCatalog;
  templatesDir?: string;
  workflowBundle?: WorkflowBundleOption;
  /** The contact policy; default: the one the configuration describes. */
  policy?: ContactPolicy;
  /** The gift catalog; default: the file GIFT_CATALOG names, else the built-in gifts/catalog.yaml. */
  giftCatalog?: GiftCatalog;
}

export interface Touchpoint {
  url: string;
  publicUrl: string;
  temporal: TemporalTarget & { uiUrl?: string; embedded: boolean };
  smtp: { url: string; sink: boolean };
  database: string;
  taskQueue: string;
  stores: Stores;
  client: Client;
  stop(): Promise<void>;
}

/**
 * Starts the whole product: database, Temporal (embedded dev server unless TEMPORAL_ADDRESS),
 * SMTP (built-in sink unless SMTP_URL), the worker and the HTTP API. `stop()` undoes it in reverse.
 */
export async function startTouchpoint(options: StartOptions): Promise<Touchpoint> {
  const { config } = options;
  const log = options.log ?? (() => {});
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse().splice(0)) {
      try {
        await cleanup();
      } catch (error) {
        log(`while stopping: ${String(error)}`);
      }
    }
  };

  try {
    const dataDir = path.resolve(config.DATA_DIR);
    const secret = config.TOUCHPOINT_SECRET ?? loadOrCreateSecret(dataDir);
    // Checked before anything starts: a broken catalog names its file, line and YAML path.
    const giftCatalog = options.giftCatalog ?? loadGiftCatalog(config.GIFT_CATALOG);

    const databaseTarget: DatabaseTarget =
      options.database ??
      (config.DATABASE_URL
        ? { kind: 'postgres', url: config.DATABASE_URL }
        : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    log(`Database: opening ${databaseTarget.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite'} ...`);
    const db = await openDatabase(databaseTarget);
    cleanups.push(() => db.close());
    const stores = createStores(db);
    // one cache of churn base models for the score endpoint and score steps (built once per UTC day)
    const churnSettings = churnSettingsOf(config);
    const churnModels = new ChurnModelCache(stores, churnSettings);

    let devServer: DevServer | undefined;
    let temporal = options.temporal;
    if (!temporal && config.TEMPORAL_ADDRESS) {
      temporal = { address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE };
    }
    if (!temporal) {
      log(`Temporal: starting the embedded dev server on port ${config.TEMPORAL_PORT} ...`);
      devServer = await startDevServer({
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFile: path.join(dataDir, 'temporal.db'),
        namespace: config.TEMPORAL_NAMESPACE,
        log,
      });
      cleanups.push(() => devServer?.stop());
      temporal = { address: devServer.address, namespace: devServer.namespace };
    }
    const client = await connectClient(temporal);
    cleanups.push(() => client.connection.close());
    if (!devServer && !options.temporal) {
      const added = await ensureSearchAttributes(client, temporal.namespace);
      if (added.length) log(`Temporal: registered search attributes ${added.join(', ')}`);
    }

    let sink: SmtpSink | undefined;
    let smtpUrl = config.SMTP_URL;
    if (!smtpUrl) {
      sink = await startSmtpSink(stores.inbox, options.smtpSinkPort ?? config.SMTP_SINK_PORT);
      cleanups.push(() => sink?.close());
      smtpUrl = sink.url;
    }
    const mailer = createSmtpMailer(smtpMailerOptionsOf(config, smtpUrl, { sink: !!sink }));
    cleanups.push(() => mailer.close());

    const templates = new TemplateLibrary(options.templatesDir ?? path.join(PROJECT_ROOT, 'templates'));
    const journeys = options.catalog ? async () => options.catalog!.all() : await publishBuiltInJourneys(stores, log);
    const taskQueue = options.taskQueue ?? config.TEMPORAL_TASK_QUEUE;

    const milestones = new Milestones({ stores, rules: milestoneRulesOf(config) });
    const router = new EventRouter({ client, taskQueue, stores, journeys, milestones });
    const churnScans = new ChurnScans({
      client,
      taskQueue,
      config: {
        cron: config.CHURN_SCAN_SCHEDULE,
        timeZone: config.CHURN_SCAN_TIME_ZONE,
        settings: churnScanSettingsOf(config),
      },
    });
    const http = await buildHttpServer({
      stores,
      churnModels,
      templates,
      router,
      preferences: new ContactPreferenceService({ stores, router, secret }),
      tasks: new CrmTasks({ client, stores }),
      churnScans,
      giftCatalog,
      importIdleMs: config.IMPORT_IDLE_TIMEOUT,
      runs: new Runs(client, taskQueue),
      surveys: new SurveyAnswers({ client, stores, secret }),
      giftAddresses: new GiftAddresses({ stores, router, secret, catalog: () => giftCatalog }),
      email: {
        mailer,
        from: config.MAIL_FROM,
        company: { name: config.COMPANY_NAME, address: config.COMPANY_ADDRESS ?? '' },
        publicUrl: config.PUBLIC_URL,
      },
      webhooks: {
        zendeskSecret: config.ZENDESK_WEBHOOK_SECRET,
        freshdeskSecret: config.FRESHDESK_WEBHOOK_SECRET,
        maxAgeMs: config.WEBHOOK_MAX_AGE,
      },
      giftWebhookSecret: config.GIFT_WEBHOOK_SECRET,
    });
    await http.listen({ port: options.port ?? config.PORT, host: '0.0.0.0' });
    cleanups.push(() => http.close());
    const port = (http.server.address() as AddressInfo).port;
    const url = `http://localhost:${port}`;
    const publicUrl = config.PUBLIC_URL ?? url;

    const worker = await startJourneyWorker({
      address: temporal.address,
      namespace: temporal.namespace,
      taskQueue,
      workflowBundle: options.workflowBundle,
      activities: createActivities({
        stores,
        churnSettings,
        churnModels,
        routeEvent: (event) => router.route(event),
        anniversaries: (customerIds, asOf) => milestones.anniversaries(customerIds, asOf),
        templates,
        mailer,
        gate: new ContactGate(db, options.policy ?? contactPolicyOf(config)),
        secret,
        publicUrl,
        mailFrom: config.MAIL_FROM,
        company: { name: config.COMPANY_NAME, address: config.COMPANY_ADDRESS ?? '', reviewUrl: config.REVIEW_URL },
        giftCatalog,
        giftProvider: createGiftProvider(giftProviderSettingsOf(config), stores),
      }),
    });
    cleanups.push(() => worker.stop());
    worker.done.catch((error) => log(`worker stopped with an error: ${String(error)}`));
    const schedule = await churnScans.ensure();
    log(
      schedule === 'off' || schedule === 'removed'
        ? `Churn scan: no schedule (CHURN_SCAN_SCHEDULE=off)${schedule === 'removed' ? ', the existing one was removed' : ''}`
        : `Churn scan: schedule ${churnScans.scheduleId} ${schedule} (${config.CHURN_SCAN_SCHEDULE}, ${config.CHURN_SCAN_TIME_ZONE})`,
    );

    return {
      url,
      publicUrl,
      temporal: { ...temporal, uiUrl: devServer?.uiUrl, embedded: !!devServer },
      smtp: { url: smtpUrl, sink: !!sink },
      database: db.description,
      taskQueue,
      stores,
      client,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The embedded default signs links with a secret kept beside the data, so restarts keep links valid. */
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * The built-in journeys (journeys/*.yaml) are published on start-up when their version is new; new runs
 * then take the newest published version of each journey, whether it came from a file or the API.
 */
async function publishBuiltInJourneys(stores: Stores, log: (line: string) => void): Promise<() => Promise<Journey[]>> {
  for (const journey of JourneyCatalog.fromDirectory().all()) {
    const result = await stores.journeys.publish(journey);
    if (result.status === 'published') log(`Journeys: published ${journey.id} v${journey.version}`);
    if (result.status === 'rejected' && result.conflict === 'version-taken') {
      log(
        `Journeys: journeys/${journey.id}.yaml was edited without a new version, so it was not published: ${result.reason}`,
      );
    }
  }
  return () => stores.journeys.latest();
}
