import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { resolveTemporalCli } from './temporal-cli';
import { stopChild, waitUntilServing } from './server-process';

export interface DevServerOptions {
  port: number;
  /** Web UI port; omit for a headless server (tests). */
  uiPort?: number;
  /** SQLite file that keeps the server's state across restarts; omit for in-memory (tests). */
  dbFile?: string;
  namespace?: string;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

const SA_TYPE_NAMES: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int', TEXT: 'Text', BOOL: 'Bool' };
const searchAttributeArgs = () =>
  SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${SA_TYPE_NAMES[key.type]}`]);

/**
 * Starts the real Temporal server (the CLI's dev server: SQLite, Web UI) for the embedded defaults
 * and the tests, with Touchpoint's search attributes registered.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? ((line) => console.error(line));
  const namespace = options.namespace ?? 'default';
  const cli = await resolveTemporalCli(log);
  if (!cli) return startWithSdkDownload(options, namespace);

  if (options.dbFile) mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    namespace,
    '--log-level',
    'error',
    '--sqlite-pragma',
    'journal_mode=WAL',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...searchAttributeArgs(),
  ];
  const child = spawn(cli.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitUntilServing('Temporal dev server', address, child, () => stderr);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    address,
    namespace,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop: () => stopChild(child),
  };
}

/** Last resort on a machine with internet and no Go: the SDK downloads the dev server itself. */
async function startWithSdkDownload(options: DevServerOptions, namespace: string): Promise<DevServer> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      namespace,
      dbFilename: options.dbFile,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      searchAttributes: SEARCH_ATTRIBUTES,
    },
  });
  return {
    address: `127.0.0.1:${options.port}`,
    namespace,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}
