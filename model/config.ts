import { z } from 'zod';

const Port = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number from 1 to 65535')
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .min(1, 'must be a port number from 1 to 65535')
      .max(65535, 'must be a port number from 1 to 65535'),
  );
const url = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}, e.g. ${example}`,
  );

/**
 * Configuration by environment. Every variable is documented in README.md ("Configuration").
 * Unset variables take the embedded defaults; a set but bad one stops start-up naming the variable.
 */
export const EnvConfig = z.object({
  PORT: Port.default(3000),
  PUBLIC_URL: url(['http:', 'https:'], 'https://cx.example.com').optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d+$/, 'must be host:port, e.g. temporal.example.com:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('touchpoint'),
  TEMPORAL_PORT: Port.default(7233),
  TEMPORAL_UI_PORT: Port.default(8233),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user:pass@db.example.com:5432/touchpoint').optional(),
  SMTP_URL: url(['smtp:', 'smtps:'], 'smtp://127.0.0.1:2525').optional(),
  SMTP_SINK_PORT: Port.default(2525),
  MAIL_FROM: z.string().min(3).default('Touchpoint <touchpoint@localhost>'),
  TOUCHPOINT_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
});
export type EnvConfig = z.infer<typeof EnvConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Touchpoint cannot start, the configuration has ${problems.length === 1 ? 'a problem' : 'problems'}:\n` +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n') +
        '\nFix the environment variable(s) above (see "Configuration" in README.md) and start again.',
    );
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment; empty strings count as unset. */
export function parseEnvConfig(env: Record<string, string | undefined>): EnvConfig {
  const present = Object.fromEntries(
    Object.keys(EnvConfig.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const result = EnvConfig.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message })),
    );
  }
  const config = result.data;
  if (config.DATABASE_URL && !config.TOUCHPOINT_SECRET) {
    throw new ConfigError([
      {
        variable: 'TOUCHPOINT_SECRET',
        message:
          'is required with DATABASE_URL: every process of a shared deployment must sign links with the same secret',
      },
    ]);
  }
  return config;
}
