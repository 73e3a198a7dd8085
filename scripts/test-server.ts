import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort, isExecutable, stopChild, waitUntilServing } from './server-process';

/**
 * Temporal's time-skipping test server ships as a Java library on Maven Central (the SDK downloads a
 * native build from elsewhere, which this machine cannot reach). Newest release when this was written.
 */
export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';
const CACHE_DIR = path.resolve(__dirname, '..', '.tools', 'temporal-test-server');
const MAIN_CLASS = 'io.temporal.testserver.TestServer';

export interface ResolvedTestServer {
  /** Executable taking `<port> [--enable-time-skipping]`. */
  wrapper: string;
  /** Folder of the server's jars (for TEMPORAL_TEST_SERVER: that executable's own folder). */
  libDir: string;
}

/**
 * Finds the test server: $TEMPORAL_TEST_SERVER, then the cached jars under .tools/, then fetches the
 * jars with Maven (seconds, once) and writes a wrapper script that runs them.
 */
export async function resolveTestServer(
  log: (line: string) => void = (line) => console.error(line),
): Promise<ResolvedTestServer> {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { wrapper: fromEnv, libDir: path.dirname(fromEnv) };
    throw new Error(`TEMPORAL_TEST_SERVER=${fromEnv} is not an executable file: fix or unset it.`);
  }
  const wrapper = path.join(CACHE_DIR, 'temporal-test-server');
  const libDir = path.join(CACHE_DIR, 'lib');
  // The wrapper is written last, so its presence (next to this version's jar) means a complete fetch.
  const serverJar = path.join(libDir, `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}.jar`);
  if (isExecutable(wrapper) && existsSync(serverJar)) return { wrapper, libDir };

  await fetchJars(libDir, log);
  writeFileSync(
    wrapper,
    '#!/bin/sh\n' +
      `# Temporal's time-skipping test server ${TEMPORAL_TEST_SERVER_VERSION}, written by scripts/test-server.ts.\n` +
      '# exec: the JVM takes this process id, so killing the wrapper frees the port.\n' +
      `exec "\${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "${libDir}/*" ${MAIN_CLASS} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return { wrapper, libDir };
}

function fetchJars(libDir: string, log: (line: string) => void): Promise<void> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const coordinates = `io.temporal:temporal-test-server:${TEMPORAL_TEST_SERVER_VERSION}`;
  writeFileSync(
    path.join(CACHE_DIR, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>touchpoint.tools</groupId>
  <artifactId>temporal-test-server</artifactId>
  <version>0</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEMPORAL_TEST_SERVER_VERSION}</version>
    </dependency>
    <!-- Silences SLF4J's "no logger" warning on every start. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
`,
  );
  // Copy into a private folder and rename: a concurrent fetch (two jest workers) never sees half a lib/.
  const staging = `${libDir}.${process.pid}`;
  log(`Fetching ${coordinates} with Maven into ${CACHE_DIR}: once, about a minute at most.`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      'mvn',
      ['-B', 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'],
      { cwd: CACHE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Maven names each file it downloads: count them as progress.
    let downloads = 0;
    let lastReport = Date.now();
    let tail = '';
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      downloads += text.split('\n').filter((line) => line.includes('Downloaded from')).length;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        log(`  ... ${Math.round((Date.now() - started) / 1000)}s, ${downloads} files downloaded`);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'Maven (`mvn`) is not installed, so the Temporal test server cannot be fetched. Install it ' +
                '(`apt-get install maven openjdk-17-jre-headless`), or set TEMPORAL_TEST_SERVER to a test server executable.',
            )
          : error,
      ),
    );
    child.on('exit', (code) => {
      if (code !== 0) {
        rmSync(staging, { recursive: true, force: true });
        reject(new Error(`mvn could not fetch ${coordinates} (exit ${code}); is Maven Central reachable?\n${tail}`));
        return;
      }
      rmSync(libDir, { recursive: true, force: true });
      renameSync(staging, libDir);
      log(`Temporal test server fetched in ${Math.round((Date.now() - started) / 1000)}s.`);
      resolve();
    });
  });
}

/** What TestWorkflowEnvironment's private factory takes (SDK 1.24.0); createTimeSkipping passes the same. */
interface EnvironmentFactory {
  create(options: {
    server: { type: 'existing' };
    address: string;
    namespace: string;
    supportsTimeSkipping: boolean;
  }): Promise<JavaTestServerEnvironment>;
}

/** The SDK's environment, plus ownership of the JVM we started: teardown also stops it. */
class JavaTestServerEnvironment extends TestWorkflowEnvironment {
  jvm?: ChildProcess;

  override async teardown(): Promise<void> {
    try {
      await super.teardown();
    } finally {
      if (this.jvm) await stopChild(this.jvm);
    }
  }
}

/**
 * A time-skipping TestWorkflowEnvironment backed by the Java test server.
 *
 * We start the JVM ourselves rather than through `createTimeSkipping({ server: { executable } })`:
 * the SDK gives a server 5 s to listen and a JVM on a busy machine can take longer. But
 * `createFromExistingServer` connects without the time-skipping TestService (`env.sleep()` would
 * really sleep), so we call the factory both of them use, with the flags `createTimeSkipping` sets.
 */
export async function startTimeSkippingEnvironment(
  options: { log?: (line: string) => void } = {},
): Promise<TestWorkflowEnvironment> {
  const { wrapper } = await resolveTestServer(options.log);
  const address = `127.0.0.1:${await freePort()}`;
  // No --enable-time-skipping: that starts the server with skipping unlocked, and then it skips past
  // in-flight workflow tasks (they time out). The SDK's client unlocks skipping only while it awaits a
  // result or env.sleep(), as it does with the server it downloads.
  const jvm = spawn(wrapper, [address.split(':')[1]], { stdio: ['ignore', 'ignore', 'pipe'] });
  // If the test process exits without teardown, don't leave the JVM holding the port.
  const killOnExit = () => jvm.kill('SIGKILL');
  process.once('exit', killOnExit);
  jvm.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  jvm.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    await waitUntilServing(
      'Temporal test server',
      address,
      jvm,
      () => stderr,
      ' (is Java 17+ installed? `apt-get install openjdk-17-jre-headless`)',
    );
    const factory = JavaTestServerEnvironment as unknown as EnvironmentFactory;
    if (typeof factory.create !== 'function') {
      throw new Error(
        'TestWorkflowEnvironment.create is gone: @temporalio/testing changed; update scripts/test-server.ts',
      );
    }
    const env = await factory.create({
      server: { type: 'existing' },
      address,
      namespace: 'default',
      supportsTimeSkipping: true,
    });
    env.jvm = jvm;
    return env;
  } catch (error) {
    await stopChild(jvm);
    throw error;
  }
}
