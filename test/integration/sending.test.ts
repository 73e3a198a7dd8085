import type { Touchpoint } from '../../client/app';
import { JourneyCatalog, parseJourney } from '../../client/journey-catalog';
import type { RunDetail } from '../../client/runs';
import { smtpError, startScriptedSmtp, type ScriptedSmtpServer } from '../support/scripted-smtp';
import { templatesWithHello } from '../support/templates';
import { eventually, startTestTouchpoint } from '../support/touchpoint';

const PING = `
id: ping
version: 1
name: One email, and a way out when it cannot be delivered
category: transactional
trigger: { event: milestone.reached }
steps:
  - { id: hello, type: send, template: hello, onFailure: undeliverable }
  - { id: done, type: exit, outcome: sent }
  - { id: undeliverable, type: exit, outcome: undeliverable }
`;

const recipientOf = (raw: string) => /^To: (.*)$/m.exec(raw)?.[1].trim() ?? '';

/**
 * Sending through a real SMTP server on loopback whose answers the test scripts, with the real worker
 * on the shared Temporal server: every send reaches the inbox exactly once, whatever fails on the way.
 */
describe('sending email: exactly once, whatever fails', () => {
  let touchpoint: Touchpoint;
  let smtp: ScriptedSmtpServer;
  const busyAttempts = new Map<string, number>();
  const cut = new Set<string>();

  beforeAll(async () => {
    smtp = await startScriptedSmtp({
      onRcptTo(address, _session, callback) {
        const to = address.address;
        if (to.startsWith('bounce')) return callback(smtpError('5.1.1 <' + to + '>: mailbox unavailable', 550));
        if (to.startsWith('busy')) {
          const attempt = (busyAttempts.get(to) ?? 0) + 1;
          busyAttempts.set(to, attempt);
          if (attempt <= 2) return callback(smtpError('4.3.2 try again later', 421));
        }
        callback();
      },
      afterData(raw, sockets, callback) {
        const to = recipientOf(raw);
        // The first message to cut-*: the server has it, but the connection breaks before its reply.
        if (to.startsWith('cut') && !cut.has(to)) {
          cut.add(to);
          sockets.forEach((socket) => socket.destroy());
          return;
        }
        callback();
      },
    });
    const templates = templatesWithHello();
    touchpoint = await startTestTouchpoint(
      { SMTP_URL: smtp.url },
      { catalog: new JourneyCatalog([parseJourney(PING, 'ping.yaml')]), templatesDir: templates },
    );
  });
  afterAll(async () => {
    await touchpoint?.stop();
    await smtp?.close();
  });

  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${touchpoint.url}${url}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.json();
  };
  /** Starts `ping` for a new customer with this address; resolves with the finished run. */
  const ping = async (email: string) => {
    const id = email.split('@')[0];
    await call('PUT', `/v1/customers/${id}`, { email, name: id });
    const routed = await call('POST', '/v1/events', {
      id: `ping-${id}`,
      type: 'milestone.reached',
      customerId: id,
      data: { milestone: 'first' },
    });
    expect(routed).toMatchObject({ started: [`ping/${id}`] });
    return eventually(
      async () => {
        const run = (await call('GET', `/v1/runs/ping/${id}`)) as RunDetail;
        return run.status === 'completed' ? run : undefined;
      },
      `ping/${id} to complete`,
      90_000,
    );
  };
  const received = (email: string) => smtp.messages.filter((raw) => recipientOf(raw) === email);

  it('sends once, with the Message-ID derived from the run and step', async () => {
    const run = await ping('plain@example.com');
    expect(run.state?.outcome).toBe('sent');
    const [raw, ...more] = received('plain@example.com');
    expect(more).toEqual([]);
    const sent = run.state?.timeline.find((entry) => entry.kind === 'sent');
    expect(raw).toContain(`Message-ID: ${String(sent?.data?.messageId)}`);
    expect((await touchpoint.stores.sendLog.forWorkflow('ping/plain'))[0].status).toBe('sent');
  });

  it('a retry after a crash between SMTP and completion does not send again', async () => {
    // The process "dies" right after SMTP accepted the message: the send log is never completed.
    const log = touchpoint.stores.sendLog;
    const complete = log.complete.bind(log);
    let crashed = false;
    log.complete = async (key, status, detail) => {
      if (key === 'ping/crash/hello' && status === 'sent' && !crashed) {
        crashed = true;
        throw new Error('simulated crash after SMTP accepted the message');
      }
      return complete(key, status, detail);
    };
    try {
      const run = await ping('crash@example.com');
      expect(crashed).toBe(true);
      expect(run.state?.outcome).toBe('sent');
      expect(received('crash@example.com')).toHaveLength(1);
      const sent = run.state?.timeline.find((entry) => entry.kind === 'sent');
      expect(sent?.detail).toMatch(/not sent again, an earlier attempt stopped after handing it to SMTP/);
      expect((await log.forWorkflow('ping/crash'))[0].status).toBe('unconfirmed');
    } finally {
      log.complete = complete;
    }
  });

  it('a connection that breaks after the message data is not resent either', async () => {
    const run = await ping('cut@example.com');
    expect(cut.has('cut@example.com')).toBe(true);
    expect(run.state?.outcome).toBe('sent');
    expect(received('cut@example.com')).toHaveLength(1);
    expect((await touchpoint.stores.sendLog.forWorkflow('ping/cut'))[0].status).toBe('unconfirmed');
  });

  it('a temporarily failing server (421) gets the message later, once', async () => {
    const run = await ping('busy@example.com');
    expect(busyAttempts.get('busy@example.com')).toBe(3);
    expect(run.state?.outcome).toBe('sent');
    expect(received('busy@example.com')).toHaveLength(1);
    expect((await touchpoint.stores.sendLog.forWorkflow('ping/busy'))[0].status).toBe('sent');
  });

  it('a 5xx ends in the failure path, with the reason in the timeline and the send log', async () => {
    const run = await ping('bounce@example.com');
    expect(run.state?.outcome).toBe('undeliverable');
    expect(received('bounce@example.com')).toEqual([]);
    const failed = run.state?.timeline.find((entry) => entry.kind === 'failed');
    expect(failed?.detail).toMatch(/550 .*mailbox unavailable.*taking undeliverable/);
    const [entry] = await touchpoint.stores.sendLog.forWorkflow('ping/bounce');
    expect(entry.status).toBe('failed');
    expect(entry.detail).toMatch(/^550 /);
    // A refused mailbox is a hard bounce: the address goes on the suppression list.
    expect(await touchpoint.stores.suppressions.find('bounce@example.com')).toMatchObject({
      reason: 'hard-bounce',
      source: 'smtp',
    });
  });
});
