import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { isExecutable } from './server-process';

/** The Temporal CLI version we build when nothing else is found (see ../shared/REFERENCE.md). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const PROJECT_ROOT = path.resolve(__dirname, '..');
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');

export type TemporalCliSource = 'TEMPORAL_CLI' | 'PATH' | 'cache' | 'go install' | 'sdk download';
export interface ResolvedCli {
  path: string;
  source: TemporalCliSource;
}

export class TemporalCliNotFound extends Error {
  constructor(tried: string[]) {
    super(
      `No Temporal CLI could be found or built. Tried:\n${tried.map((t) => `  - ${t}`).join('\n')}\n` +
        'Install Go (https://go.dev/dl/) so Touchpoint can build it, or set TEMPORAL_CLI to a `temporal` binary, ' +
        'or set TEMPORAL_ADDRESS to use a Temporal server you run yourself.',
    );
    this.name = 'TemporalCliNotFound';
  }
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds a `temporal` binary: $TEMPORAL_CLI, then PATH, then the cached build under .tools/,
 * then builds one with `go install` (minutes, with progress), and returns undefined when none of
 * these work, so the caller can fall back to the SDK's own download.
 */
export async function resolveTemporalCli(
  log: (line: string) => void = (line) => console.error(line),
): Promise<ResolvedCli | undefined> {
  const tried: string[] = [];
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { path: fromEnv, source: 'TEMPORAL_CLI' };
    throw new TemporalCliNotFound([`TEMPORAL_CLI=${fromEnv}: not an executable file; fix or unset it`]);
  }
  const found = onPath('temporal');
  if (found) return { path: found, source: 'PATH' };
  tried.push('`temporal` on PATH: not found');

  const cached = path.join(TOOLS_DIR, 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  tried.push(`${cached}: not built yet`);

  const go = onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    tried.push('`go install`: Go is not installed');
    log(`Temporal CLI: ${tried.join('; ')}; falling back to the SDK download.`);
    return undefined;
  }
  await goInstall(go, log);
  if (isExecutable(cached)) return { path: cached, source: 'go install' };
  throw new TemporalCliNotFound([...tried, `go install finished but ${cached} is missing`]);
}

function goInstall(go: string, log: (line: string) => void): Promise<void> {
  mkdirSync(TOOLS_DIR, { recursive: true });
  const pkg = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
  log(`Building the Temporal CLI (${pkg}) into ${TOOLS_DIR}: this takes a few minutes, once.`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', '-v', pkg], {
      env: { ...process.env, GOBIN: TOOLS_DIR, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    // `go install -v` names each package as it compiles: count them as progress.
    let packages = 0;
    let lastReport = 0;
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      packages += text.split('\n').filter((line) => line.trim() && !line.startsWith('go: downloading')).length;
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        log(`  ... ${Math.round((Date.now() - started) / 1000)}s, ${packages} packages compiled`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)}s.`);
        resolve();
      } else reject(new Error(`go install ${pkg} failed (exit ${code}):\n${tail}`));
    });
  });
}
