/**
 * Records workflow histories of the built-in journeys, for the replay test (test/integration/replay.test.ts).
 *
 *   npx tsx scripts/record-histories.ts
 *
 * Starts a throw-away Temporal dev server (headless, in memory) and the real product on it (in-memory PGlite,
 * built-in SMTP sink, random ports), drives each scenario through the HTTP API exactly as a user would, waits
 * for the run to complete and writes its history to test/histories/<journey>/<scenario>.json.
 *
 * WHEN TO RE-RECORD
 * - Only when a built-in journey's *definition* (journeys/*.yaml) changes in a way that yields a new version:
 *   runs in flight keep the definition snapshot they started with, so keep the old files (they still describe
 *   runs that exist) and record the new version beside them if it exercises new paths.
 * - When a new built-in journey or a new scenario is added.
 * - NEVER to make a failing replay pass. A failing replay means an interpreter change (workflows/**) would
 *   break runs in flight: guard the change with `patched()` / `deprecatePatch()` from @temporalio/workflow
 *   (see temporalio/samples-typescript `patching-api`) so old histories take the old path.
 *
 * The histories are stored with `historyToJSON` (the format of `temporal workflow show --output json`), not
 * `JSON.stringify`; the replay test loads them with `historyFromJSON` (see ../shared/REFERENCE.md).
 * The waitFor timeouts are shortened to seconds so a timeout path completes quickly; the shortened
 * definition is what the recorded run's input carries, which is all a replay needs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { format, resolveConfig } from 'prettier';
import { startTouchpoint, type Touchpoint } from '../client/app';
import type { RunDetail } from '../client/runs';
import { parseEnvConfig } from '../client/config';
import { bucket } from '../model/bucket';
import { bundleJourneyWorkflows } from '../worker/bundle';
import { startDevServer, type DevServer } from './dev-server';
import { freePort } from './server-process';
import { shortenedCatalog } from './short-waits';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'histories');
/**
 * Short enough for a quick no-response run, long enough for a scripted answer (or order) to arrive first.
 * Applies to waitFor timeouts and wait durations by step id.
 */
const SHORT_WAITS: Record<string, string> = {
  'await-answer': '5s',
  'await-answer-after-reminder': '5s',
  'pause-1': '5s',
  'pause-2': '1s',
  'pause-3': '1s',
  holdout: '1s',
};
/** Only for signing survey links of this throw-away instance. */
const SECRET = 'record-histories-secret-0123456789abcdef';
/** The gift status webhook's secret of this throw-away instance. */
const GIFT_WEBHOOK_SECRET = 'record-histories-gift-webhook';

const started = Date.now();
const progress = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

/** A customer id whose win-back split bucket lands in (or out of) the 10% holdout. */
function winBackCustomer(prefix: string, holdout: boolean): string {
  for (let i = 0; ; i++) if (bucket(`win-back/${prefix}-${i}/group`) < 0.1 === holdout) return `${prefix}-${i}`;
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The HTTP API, as a user (or a support system's webhook) calls it. */
function apiOf(touchpoint: Touchpoint) {
  const call = async (method: string, url: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${touchpoint.url}${url}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 400) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
    return response;
  };
  return {
    customer: (id: string, attributes: Record<string, unknown> = {}) =>
      call('PUT', `/v1/customers/${encodeURIComponent(id)}`, {
        email: `${id}@example.com`,
        name: id,
        locale: 'en',
        attributes,
        consent: { marketing: 'granted' },
      }),
    event: (id: string, type: string, customerId: string, data: Record<string, unknown>) =>
      call('POST', '/v1/events', { id, type, customerId, data }),
    run: async (workflowId: string) => (await (await call('GET', `/v1/runs/${workflowId}`)).json()) as RunDetail,
    inbox: async (to: string) =>
      ((await (await call('GET', `/v1/inbox?to=${encodeURIComponent(to)}`)).json()) as { messages: { text: string }[] })
        .messages,
    fetch: (url: string, init?: RequestInit) => fetch(url, init),
  };
}
type Api = ReturnType<typeof apiOf>;

interface Scenario {
  /** Default: survey-after-contact. */
  journey?: string;
  name: string;
  customerId: string;
  attributes?: Record<string, unknown>;
  /** The run's trigger key (ticket id, scan period, milestone). */
  key: string;
  /** The expected run: its outcome and timeline (`kind:step`), checked before the history is written. */
  outcome: string;
  timeline: string[];
  drive(api: Api, workflowId: string): Promise<void>;
}

const solved = (api: Api, customerId: string, ticketId: string) =>
  api.event(`${customerId}-solved`, 'ticket.solved', customerId, { ticketId, subject: 'Cannot log in' });

const waitingAt = (api: Api, workflowId: string, step: string) =>
  eventually(async () => {
    const detail = await api.run(workflowId);
    return detail.state?.timeline.some((e) => e.kind === 'waiting' && e.step === step) ? detail : undefined;
  }, `${workflowId} to wait at ${step}`);

/** A milestone as the order-count detection routes it. */
const milestone = (api: Api, customerId: string, milestone: string) =>
  api.event(`${customerId}-${milestone}`, 'milestone.reached', customerId, { milestone, kind: 'order-count' });

/** What the churn scan sends for a customer at risk. */
const RISK = { period: '2026-11', risk: 0.8, reasons: ['no order for 94 days, usually every 21'] };

const SCENARIOS: Scenario[] = [
  {
    name: 'answered',
    customerId: 'rec-answered',
    key: 'T-1',
    outcome: 'answered',
    timeline: ['started:', 'sent:invite', 'waiting:await-answer', 'answer:await-answer', 'completed:'],
    async drive(api, workflowId) {
      await solved(api, this.customerId, this.key);
      // The customer opens the invitation, clicks score 9, and sends the confirm page's form.
      const [mail] = await eventually(async () => {
        const messages = await api.inbox(`${this.customerId}@example.com`);
        return messages.length ? messages : undefined;
      }, 'the invitation email');
      const link = mail.text.match(/https?:\/\/\S+\?score=9\b/)?.[0];
      if (!link) throw new Error(`no score-9 link in the invitation:\n${mail.text}`);
      const page = await api.fetch(link);
      const action = (await page.text()).match(/<form method="post" action="([^"]+)"/)?.[1];
      if (page.status !== 200 || !action)
        throw new Error(`the survey link did not show the confirm form (${page.status})`);
      const post = await api.fetch(new URL(decodeEntities(action), link).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ score: '9', comment: 'Quick and friendly' }).toString(),
      });
      if (post.status !== 200) throw new Error(`posting the answer: HTTP ${post.status} ${await post.text()}`);
      progress(`  ${workflowId}: answer posted`);
    },
  },
  {
    name: 'no-response',
    customerId: 'rec-no-response',
    key: 'T-2',
    outcome: 'no-response',
    timeline: [
      'started:',
      'sent:invite',
      'waiting:await-answer',
      'timeout:await-answer',
      'sent:remind',
      'waiting:await-answer-after-reminder',
      'timeout:await-answer-after-reminder',
      'completed:',
    ],
    async drive(api) {
      await solved(api, this.customerId, this.key);
      progress(`  nobody answers: waiting out both timeouts (${Object.values(SHORT_WAITS).join(' + ')})`);
    },
  },
  {
    name: 'exited',
    customerId: 'rec-exited',
    key: 'T-3',
    outcome: 'exited',
    timeline: ['started:', 'sent:invite', 'waiting:await-answer', 'exit:await-answer', 'completed:'],
    async drive(api, workflowId) {
      await solved(api, this.customerId, this.key);
      await waitingAt(api, workflowId, 'await-answer');
      await api.event(`${this.customerId}-reopened`, 'ticket.reopened', this.customerId, {
        ticketId: this.key,
      });
      progress(`  ${workflowId}: ticket reopened`);
    },
  },
  // win-back v2 (v1's files stay: they describe runs that may still exist).
  {
    journey: 'win-back',
    name: 'v2-lost',
    customerId: winBackCustomer('rec-wb2-lost', false),
    key: '2026-11',
    outcome: 'lost',
    timeline: [
      'started:',
      'crm:record-risk',
      'split:group',
      'sent:miss-you',
      'waiting:pause-1',
      'coupon:coupon',
      'sent:offer',
      'waiting:pause-2',
      'sent:last-chance',
      'waiting:pause-3',
      'crm:mark-lost',
      'completed:',
    ],
    async drive(api) {
      await api.event(`${this.customerId}-risk`, 'churn.risk_detected', this.customerId, RISK);
    },
  },
  {
    journey: 'win-back',
    name: 'v2-won-back',
    customerId: winBackCustomer('rec-wb2-won', false),
    key: '2026-11',
    outcome: 'won-back',
    timeline: [
      'started:',
      'crm:record-risk',
      'split:group',
      'sent:miss-you',
      'waiting:pause-1',
      'goal:pause-1',
      'completed:',
    ],
    async drive(api, workflowId) {
      await api.event(`${this.customerId}-risk`, 'churn.risk_detected', this.customerId, RISK);
      await waitingAt(api, workflowId, 'pause-1');
      await api.event(`${this.customerId}-order`, 'order.placed', this.customerId, {
        orderId: 'o-1',
        amount: 42,
        currency: 'EUR',
      });
      progress(`  ${workflowId}: the customer ordered`);
    },
  },
  {
    journey: 'win-back',
    name: 'v2-holdout',
    customerId: winBackCustomer('rec-wb2-holdout', true),
    key: '2026-11',
    outcome: 'holdout-lost',
    timeline: ['started:', 'crm:record-risk', 'split:group', 'waiting:holdout', 'crm:holdout-end', 'completed:'],
    async drive(api) {
      await api.event(`${this.customerId}-risk`, 'churn.risk_detected', this.customerId, RISK);
    },
  },
  // thank-you-gift v2: the gift from the catalog, booked on the ledger (v1's files stay beside these).
  {
    journey: 'thank-you-gift',
    name: 'v2-thanked',
    customerId: 'rec-gift2-gold',
    attributes: { tier: 'gold', country: 'DE' },
    key: 'order-count-5',
    outcome: 'thanked',
    timeline: ['started:', 'gift:gift', 'gift:gift', 'sent:thank-you', 'crm:note', 'completed:'],
    async drive(api) {
      await milestone(api, this.customerId, this.key);
    },
  },
  {
    journey: 'thank-you-gift',
    name: 'v2-ineligible',
    customerId: 'rec-gift2-silver',
    attributes: { tier: 'silver' },
    key: 'order-count-5',
    outcome: 'ineligible',
    timeline: ['started:', 'skipped:gift', 'completed:'],
    async drive(api) {
      await milestone(api, this.customerId, this.key);
    },
  },
  {
    journey: 'thank-you-gift',
    name: 'v2-address-confirmed',
    customerId: 'rec-gift2-platinum',
    attributes: { tier: 'platinum', country: 'DE' },
    key: 'order-count-5',
    outcome: 'thanked',
    timeline: [
      'started:',
      'gift:gift',
      'sent:gift',
      'waiting:gift',
      'event:gift',
      'gift:gift',
      'waiting:gift',
      'gift:gift',
      'sent:thank-you',
      'crm:note',
      'completed:',
    ],
    async drive(api, workflowId) {
      await milestone(api, this.customerId, this.key);
      const link = await eventually(async () => {
        const [request] = await api.inbox(`${this.customerId}@example.com`);
        return request && /(https?:\/\/\S+\/g\/[A-Za-z0-9_.-]+)/.exec(request.text)?.[1];
      }, `${workflowId}: the address request`);
      const confirmed = await api.fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=Pia+Platin&line1=Hauptstra%C3%9Fe+5&postalCode=10115&city=Berlin&country=DE',
      });
      if (confirmed.status !== 200) throw new Error(`the address page answered ${confirmed.status}`);
      progress(`  ${workflowId}: address confirmed`);
      await eventually(async () => {
        const detail = await api.run(workflowId);
        return (detail.state?.timeline.filter((e) => e.kind === 'waiting').length ?? 0) >= 2 ? true : undefined;
      }, `${workflowId} to wait for delivery`);
      const delivered = await api.fetch(`${new URL(link).origin}/v1/webhooks/gifts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-touchpoint-secret': GIFT_WEBHOOK_SECRET },
        body: JSON.stringify({ giftKey: `${workflowId}/gift`, status: 'delivered' }),
      });
      if (delivered.status !== 202) throw new Error(`the gift webhook answered ${delivered.status}`);
      progress(`  ${workflowId}: delivered`);
    },
  },
];

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function record(touchpoint: Touchpoint, api: Api, scenario: Scenario): Promise<void> {
  const journey = scenario.journey ?? 'survey-after-contact';
  const workflowId = `${journey}/${scenario.customerId}/${scenario.key}`;
  progress(`${journey}/${scenario.name}: starting ${workflowId}`);
  await api.customer(scenario.customerId, scenario.attributes);
  await scenario.drive(api, workflowId);
  const run = await eventually(async () => {
    const detail = await api.run(workflowId);
    if (detail.status !== 'running' && detail.status !== 'completed') {
      throw new Error(`${workflowId} ended ${detail.status}: ${detail.failure ?? ''}`);
    }
    return detail.status === 'completed' ? detail : undefined;
  }, `${workflowId} to complete`);
  const timeline = run.state?.timeline.map((e) => `${e.kind}:${e.step ?? ''}`) ?? [];
  if (run.state?.outcome !== scenario.outcome || JSON.stringify(timeline) !== JSON.stringify(scenario.timeline)) {
    throw new Error(
      `${scenario.name}: the run did not take the intended path (a slow machine can miss a shortened wait).\n` +
        `  outcome ${run.state?.outcome}, expected ${scenario.outcome}\n` +
        `  timeline ${timeline.join(' ')}\n  expected ${scenario.timeline.join(' ')}`,
    );
  }
  const history = await touchpoint.client.workflow.getHandle(workflowId).fetchHistory();
  const file = path.join(HISTORIES_DIR, journey, `${scenario.name}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  // Prettier-formatted (whitespace only) so `npm run lint` (prettier --check .) accepts the files as they are.
  writeFileSync(file, await format(historyToJSON(history), { ...(await resolveConfig(file)), parser: 'json' }));
  progress(
    `${scenario.name}: completed ${run.state.outcome}, ${history.events?.length ?? 0} events → ${path.relative(PROJECT_ROOT, file)}`,
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-record-'));
  let devServer: DevServer | undefined;
  let touchpoint: Touchpoint | undefined;
  try {
    progress('starting a Temporal dev server (headless, in memory) and bundling the workflow code ...');
    const bundling = bundleJourneyWorkflows();
    bundling.catch(() => {}); // awaited below; not an unhandled rejection if the dev server fails first
    devServer = await startDevServer({ port: await freePort(), log: progress });
    const bundle = await bundling;
    progress(`Temporal dev server on ${devServer.address}; starting Touchpoint ...`);
    touchpoint = await startTouchpoint({
      config: parseEnvConfig({
        DATA_DIR: dataDir,
        TOUCHPOINT_SECRET: SECRET,
        CHURN_SCAN_SCHEDULE: 'off',
        GIFT_WEBHOOK_SECRET,
      }),
      temporal: { address: devServer.address, namespace: devServer.namespace },
      database: { kind: 'pglite' },
      port: 0,
      smtpSinkPort: 0,
      catalog: shortenedCatalog(SHORT_WAITS),
      workflowBundle: { code: bundle.code },
      // Histories must not depend on the hour they are recorded at: no quiet hours, no caps.
      policy: { caps: {} },
      log: (line) => progress(`  touchpoint: ${line}`),
    });
    progress(`Touchpoint on ${touchpoint.url}`);
    const api = apiOf(touchpoint);
    // `record-histories win-back thank-you-gift` records only those journeys' scenarios (keeping the others' files).
    const only = process.argv.slice(2);
    const chosen = SCENARIOS.filter((s) => only.length === 0 || only.includes(s.journey ?? 'survey-after-contact'));
    const known = [...new Set(SCENARIOS.map((s) => s.journey ?? 'survey-after-contact'))];
    const unknown = only.filter((journey) => !known.includes(journey));
    if (unknown.length)
      throw new Error(`no scenarios for ${unknown.join(', ')}; journeys with scenarios: ${known.join(', ')}`);
    for (const scenario of chosen) await record(touchpoint, api, scenario);
  } finally {
    progress('stopping ...');
    await touchpoint?.stop();
    await devServer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  progress(`done: histories under ${path.relative(PROJECT_ROOT, HISTORIES_DIR)}/`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
