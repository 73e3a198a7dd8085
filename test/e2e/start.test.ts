import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunDetail } from '../../client/runs';
import { eventually } from '../support/touchpoint';
import { freePort } from '../../scripts/server-process';

const BIN = path.resolve(__dirname, '../../bin/touchpoint.js');

/** `touchpoint start` as a user runs it: its own embedded Temporal, PGlite and SMTP sink under DATA_DIR. */
describe('touchpoint start (embedded defaults)', () => {
  let env: NodeJS.ProcessEnv;
  let url: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    const [port, temporalPort, uiPort, smtpPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    url = `http://localhost:${port}`;
    env = {
      ...process.env,
      NODE_OPTIONS: '',
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'touchpoint-start-')),
      PORT: String(port),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      SMTP_SINK_PORT: String(smtpPort),
      // The invitation must go now, whatever the hour the test runs at (quiet hours have their own tests).
      QUIET_HOURS: 'off',
    };
  });
  afterEach(async () => {
    if (child && child.exitCode === null) await stop(child);
  });

  async function start(): Promise<{ process: ChildProcess; output: () => string }> {
    const proc = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    proc.stdout!.on('data', (chunk) => (output += chunk));
    proc.stderr!.on('data', (chunk) => (output += chunk));
    await eventually(
      async () => {
        if (proc.exitCode !== null) throw new Error(`touchpoint start exited early:\n${output}`);
        return output.includes('Touchpoint is running.') ? true : undefined;
      },
      'touchpoint start to be ready',
      90_000,
    );
    return { process: proc, output: () => output };
  }

  function stop(proc: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => {
      proc.once('exit', (code) => resolve(code));
      proc.kill('SIGINT');
    });
  }

  const runOf = async (id: string) => (await (await fetch(`${url}/v1/runs/${id}`)).json()) as RunDetail;

  it('prints every URL, stops cleanly on Ctrl-C, and resumes the running journey after a restart', async () => {
    const first = await start();
    expect(first.output()).toContain(`API and survey pages   ${url}`);
    expect(first.output()).toContain(`Temporal Web UI        http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    expect(first.output()).toContain(`/v1/inbox   (SMTP on smtp://127.0.0.1:${env.SMTP_SINK_PORT})`);

    const headers = { 'content-type': 'application/json' };
    await fetch(`${url}/v1/customers/hugo`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ email: 'hugo@example.com', name: 'Hugo' }),
    });
    await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ id: 'start-1', type: 'ticket.solved', customerId: 'hugo', data: { ticketId: 'S-1' } }),
    });
    const inbox = await eventually(async () => {
      const body = (await (await fetch(`${url}/v1/inbox?to=hugo@example.com`)).json()) as {
        messages: { text: string }[];
      };
      return body.messages.length ? body.messages : undefined;
    }, 'the invitation in the sink');
    const link = /(http:\/\/localhost:\d+\/s\/[^?\s]+)\?score=10/.exec(inbox[0].text)![1];

    expect(await stop(first.process)).toBe(0);
    expect(first.output()).toContain('Stopped.');

    await start();
    expect((await runOf('survey-after-contact/hugo/S-1')).status).toBe('running');
    const answered = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=10',
    });
    expect(answered.status).toBe(200);
    const run = await eventually(async () => {
      const detail = await runOf('survey-after-contact/hugo/S-1');
      return detail.status === 'completed' ? detail : undefined;
    }, 'the resumed run to complete');
    expect(run.state?.answer).toMatchObject({ score: 10, class: 'promoter' });
    // The event log survived the restart too: the same event id is a duplicate.
    const repeat = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ id: 'start-1', type: 'ticket.solved', customerId: 'hugo', data: { ticketId: 'S-1' } }),
    });
    expect(await repeat.json()).toMatchObject({ duplicate: true });
  });

  it('refuses a bad configuration, naming the variable, and exits 2', () => {
    const result = spawnSync(process.execPath, [BIN, 'start'], {
      env: { ...env, PORT: 'eighty', SMTP_URL: 'mail.example.com' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT:');
    expect(result.stderr).toContain('SMTP_URL: must be a URL starting with smtp:// or smtps://');
  });
});
