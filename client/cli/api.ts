import type { Problem } from '../../model/validation';

/** Exit codes: 2 = bad input (same as HTTP 400), 1 = anything else. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function apiBaseUrl(env = process.env): string {
  return env.TOUCHPOINT_URL ?? `http://localhost:${env.PORT ?? 3000}`;
}

/** Calls the Touchpoint HTTP API; a 4xx becomes a CliError with the API's problems. */
export async function callApi<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { base?: string; contentType?: string } = {},
): Promise<T> {
  const base = options.base ?? apiBaseUrl();
  const raw = typeof body === 'string' && options.contentType;
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method,
      headers: body === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' },
      body: body === undefined ? undefined : raw ? (body as string) : JSON.stringify(body),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach Touchpoint at ${base} (${(error as Error).cause ?? (error as Error).message}); ` +
        'start it with `npm start`, or set TOUCHPOINT_URL',
      1,
    );
  }
  const payload = (await response.json().catch(() => ({}))) as { message?: string; problems?: Problem[] };
  if (response.status === 400) throw new CliError(payload.message ?? 'invalid request', 2, payload.problems ?? []);
  if (response.status === 409) throw new CliError(payload.message ?? 'conflict', 2);
  if (!response.ok) throw new CliError(payload.message ?? `HTTP ${response.status}`, 1, payload.problems ?? []);
  return payload as T;
}
