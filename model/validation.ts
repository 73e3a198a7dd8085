import type { z } from 'zod';

/** A validation problem as the API and the CLI report it: where, and what is wrong. */
export interface Problem {
  path: string;
  message: string;
  /** The line in a submitted file (journey YAML), where there is one. */
  line?: number;
}

export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

/** Bad input: HTTP 400 / CLI exit 2, and nothing was changed. */
export class InputError extends Error {
  constructor(
    readonly problems: Problem[],
    summary = 'The request is not valid',
  ) {
    super(`${summary}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'InputError';
  }

  static from(error: z.ZodError, summary?: string): InputError {
    return new InputError(problemsOf(error), summary);
  }
}
