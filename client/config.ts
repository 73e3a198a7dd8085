import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ContactPolicy, DEFAULT_CONTACT_POLICY, parseCap, parseQuietHours } from '../model/contact-policy';
import { Duration, durationMs } from '../model/duration';
import { ChurnScanPeriod, type ChurnScanSettings } from '../model/churn-scan';
import { BgNbdParams, ChurnSettings } from '../model/churn';
import { TimeZone } from '../model/customer';
import { GiftProviderName } from '../model/gift-provider';
import type { GiftProviderSettings } from '../activities/gifts/providers';
import { parseLifetimeValues, parseOrderCounts } from '../model/milestone';

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

/** A contact-policy variable: its text parsed by `parse`, the message of a parse error reported on the variable. */
const policyText = <T>(parse: (text: string) => T) =>
  z.string().transform((text, ctx): T | undefined => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** A fraction from 0 to 1 written as a decimal, e.g. 0.3. */
const churnFraction = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1, e.g. 0.3')
  .transform(Number);

/** A whole number from `min` to `max` (digits only, like Port). */
const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,9}$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));
};
const domainName = z
  .string()
  .regex(
    /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i,
    'must be a domain name, e.g. example.com',
  );
const dkimSelector = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?)*$/i,
    'must be a DNS label, e.g. touchpoint or tp2025 (the key is published at <selector>._domainkey.<DKIM_DOMAIN>)',
  );
const GENERATE_DKIM_KEY = '`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out dkim.pem`';
/**
 * DKIM_PRIVATE_KEY: the PEM itself or the path of a PEM file (a mounted secret); the config holds the PEM.
 * Checked here because nodemailer signs with a key it cannot use by quietly sending the mail unsigned.
 */
const dkimPrivateKey = z.string().transform((value, ctx): string => {
  const problem = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  let pem: string;
  if (value.trimStart().startsWith('-----BEGIN')) {
    // one-line variables (docker --env-file, many secret stores) carry the line breaks as "\n"
    pem = value.replace(/\\n/g, '\n');
  } else {
    try {
      pem = readFileSync(value, 'utf8');
    } catch (error) {
      // the path is worth showing, but not a long value: that is a key pasted without its PEM lines
      const what = value.length <= 200 ? `"${value}"` : `a ${value.length}-character value`;
      return problem(
        `is neither a PEM key ("-----BEGIN PRIVATE KEY-----...") nor the path of a readable PEM file: ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    return problem(
      `is not an unencrypted PEM private key (${(error as Error).message}); create one with ${GENERATE_DKIM_KEY}`,
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return problem(
      `is a key of type ${key.asymmetricKeyType}, DKIM signing needs an RSA key; create one with ${GENERATE_DKIM_KEY}`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) {
    return problem(
      `is a ${bits}-bit RSA key, receivers ignore DKIM keys under 1024 bits; create a 2048-bit one with ${GENERATE_DKIM_KEY}`,
    );
  }
  return pem;
});

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
  MARKETING_CAP: policyText(parseCap).optional(),
  SURVEY_CAP: policyText(parseCap).optional(),
  SURVEY_THROTTLE: policyText(parseCap).optional(),
  QUIET_HOURS: policyText(parseQuietHours).optional(),
  COMPANY_NAME: z.string().min(1).default('Touchpoint'),
  COMPANY_ADDRESS: z.string().min(1).optional(),
  REVIEW_URL: url(['https:'], 'https://g.page/r/your-business/review').optional(),
  SMTP_MAX_CONNECTIONS: wholeNumber(1, 100).default(5),
  SMTP_RATE_LIMIT: wholeNumber(0, 10000).default(10),
  DKIM_DOMAIN: domainName.optional(),
  DKIM_SELECTOR: dkimSelector.optional(),
  DKIM_PRIVATE_KEY: dkimPrivateKey.optional(),
  TOUCHPOINT_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  /** The signing secret Zendesk shows for the webhook; unset: POST /v1/webhooks/zendesk answers 503. */
  ZENDESK_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Shared secret of the Freshdesk rule's X-Touchpoint-Secret header; unset: the endpoint answers 503. */
  FRESHDESK_WEBHOOK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters, it is all that authenticates Freshdesk (e.g. `openssl rand -hex 32`)')
    .optional(),
  /** How long a bulk import waits for more of an upload that stalled before it gives up (and rolls back), in ms. */
  IMPORT_IDLE_TIMEOUT: Duration.transform(durationMs).default(60_000),
  /** How far a Zendesk signature timestamp may be from now, either way, in ms. */
  WEBHOOK_MAX_AGE: Duration.transform(durationMs).default(5 * 60_000),
  /** When the churn scan runs: a cron expression (in CHURN_SCAN_TIME_ZONE), or "off" for no schedule. */
  CHURN_SCAN_SCHEDULE: z
    .string()
    .regex(
      /^(off|\S+( \S+){4})$/,
      'must be a cron expression with five fields, e.g. "0 3 * * *" (03:00 daily), or "off"',
    )
    .default('0 3 * * *'),
  CHURN_SCAN_TIME_ZONE: TimeZone.default('UTC'),
  /** Customers with a churn risk at or above this are enrolled in the win-back journey. */
  CHURN_RISK_THRESHOLD: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1, e.g. 0.7')
    .transform(Number)
    .default(0.7),
  /** One enrolment per customer and period: day, week or month. */
  CHURN_SCAN_PERIOD: ChurnScanPeriod.default('month'),
  /** Customers scored per scan activity. */
  CHURN_SCAN_PAGE_SIZE: wholeNumber(1, 10_000).default(500),
  /** Days after an enrolment before the scan enrols the customer again (in a later period). */
  CHURN_REENROL_AFTER_DAYS: wholeNumber(0, 3650).default(30),
  /** Fixed BG/NBD parameters "r,alpha,a,b" (time in weeks); unset: fitted from the customer base (docs/churn.md). */
  CHURN_BGNBD_PARAMS: z
    .string()
    .transform((text, ctx) => {
      const numbers = text.split(',').map((part) => Number(part.trim()));
      const params = BgNbdParams.safeParse({ r: numbers[0], alpha: numbers[1], a: numbers[2], b: numbers[3] });
      if (numbers.length !== 4 || numbers.some((n) => !Number.isFinite(n)) || !params.success) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must be four positive numbers "r,alpha,a,b" (BG/NBD, time in weeks; r and alpha up to 10000, a and b up to 100), e.g. "0.243,4.414,0.793,2.426"',
        });
        return z.NEVER;
      }
      return params.data;
    })
    .optional(),
  /** Churn CLV: the share of an order's amount that is margin, 0 to 1 (default 0.3). */
  CHURN_MARGIN: churnFraction.optional(),
  /** Churn CLV: the yearly discount rate, 0 to 1 (default 0.1). */
  CHURN_DISCOUNT_RATE: churnFraction.optional(),
  /** Churn CLV: years of expected purchases counted (default 3). */
  CHURN_CLV_YEARS: wholeNumber(1, 10).optional(),
  /** Churn risk: full overdue risk at this multiple of the usual gap between purchases (default 3). */
  CHURN_GAP_MULTIPLE: z
    .string()
    .regex(/^\d{1,2}(\.\d+)?$/, 'must be a number above 1 and at most 20, e.g. 3')
    .transform(Number)
    .pipe(
      z
        .number()
        .gt(1, 'must be a number above 1 and at most 20, e.g. 3')
        .max(20, 'must be a number above 1 and at most 20, e.g. 3'),
    )
    .optional(),
  /** Order counts that are milestones (milestone.reached "fifth-order", ...), e.g. 5,10; "off": none. Default 5. */
  MILESTONE_ORDER_COUNTS: policyText(parseOrderCounts).optional(),
  /** Lifetime-value thresholds per currency, e.g. EUR:1000,USD:1200; "off": none. Default EUR:1000. */
  MILESTONE_LIFETIME_VALUES: policyText(parseLifetimeValues).optional(),
  /** Days after a yearly anniversary that the daily check still reports it. */
  MILESTONE_ANNIVERSARY_GRACE_DAYS: wholeNumber(0, 366).default(7),
  /** The gift catalog (campaigns, budgets, products); default: the built-in gifts/catalog.yaml. */
  GIFT_CATALOG: z.string().min(1).optional(),
  /** Who orders gifts: builtin (vouchers and physical orders in the database) or tremendous (the HTTP API). */
  GIFT_PROVIDER: GiftProviderName.default('builtin'),
  /** The Tremendous API origin; the default is the sandbox, production is https://www.tremendous.com. */
  TREMENDOUS_API_URL: url(['https:', 'http:'], 'https://www.tremendous.com').default(
    'https://testflight.tremendous.com',
  ),
  TREMENDOUS_API_KEY: z.string().min(1).optional(),
  /** Pays for the orders; "balance" is the account balance. */
  TREMENDOUS_FUNDING_SOURCE_ID: z.string().min(1).default('balance'),
  /** Offers this campaign's products instead of the catalog's product id. */
  TREMENDOUS_CAMPAIGN_ID: z.string().min(1).optional(),
  /** How long one Tremendous call may take, in ms. */
  TREMENDOUS_TIMEOUT: Duration.transform(durationMs).default(10_000),
  /** Shared secret of POST /v1/webhooks/gifts (header X-Touchpoint-Secret); unset: the endpoint answers 503. */
  GIFT_WEBHOOK_SECRET: z
    .string()
    .min(
      16,
      'must be at least 16 characters, it is all that authenticates status reports (e.g. `openssl rand -hex 32`)',
    )
    .optional(),
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
  const dkim = {
    DKIM_DOMAIN: config.DKIM_DOMAIN,
    DKIM_SELECTOR: config.DKIM_SELECTOR,
    DKIM_PRIVATE_KEY: config.DKIM_PRIVATE_KEY,
  };
  const dkimSet = Object.keys(dkim).filter((key) => dkim[key as keyof typeof dkim] !== undefined);
  if (dkimSet.length > 0 && dkimSet.length < 3) {
    throw new ConfigError(
      Object.keys(dkim)
        .filter((key) => !dkimSet.includes(key))
        .map((variable) => ({
          variable,
          message: `is required with ${dkimSet.join(' and ')}: DKIM signing needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or none of them)`,
        })),
    );
  }
  if (config.GIFT_PROVIDER === 'tremendous' && !config.TREMENDOUS_API_KEY) {
    throw new ConfigError([
      {
        variable: 'TREMENDOUS_API_KEY',
        message:
          'is required with GIFT_PROVIDER=tremendous: create an API key in the Tremendous dashboard (Team settings → Developers)',
      },
    ]);
  }
  return config;
}

/** The gift provider the environment configures. */
export function giftProviderSettingsOf(config: EnvConfig): GiftProviderSettings {
  if (config.GIFT_PROVIDER === 'builtin') return { provider: 'builtin' };
  return {
    provider: 'tremendous',
    baseUrl: config.TREMENDOUS_API_URL,
    apiKey: config.TREMENDOUS_API_KEY ?? '',
    fundingSourceId: config.TREMENDOUS_FUNDING_SOURCE_ID,
    campaignId: config.TREMENDOUS_CAMPAIGN_ID,
    timeoutMs: config.TREMENDOUS_TIMEOUT,
  };
}

/** The contact policy the environment configures: the defaults, each part replaceable (or "off"). */
export function contactPolicyOf(config: EnvConfig): ContactPolicy {
  // unset → the default; "off" (null) → none
  const pick = <T>(value: T | null | undefined, fallback: T | undefined): T | undefined =>
    value === null ? undefined : (value ?? fallback);
  return ContactPolicy.parse({
    caps: {
      ...DEFAULT_CONTACT_POLICY.caps,
      marketing: pick(config.MARKETING_CAP, DEFAULT_CONTACT_POLICY.caps.marketing),
      survey: pick(config.SURVEY_CAP, DEFAULT_CONTACT_POLICY.caps.survey),
    },
    surveyThrottle: pick(config.SURVEY_THROTTLE, DEFAULT_CONTACT_POLICY.surveyThrottle),
    quietHours: pick(config.QUIET_HOURS, DEFAULT_CONTACT_POLICY.quietHours),
  });
}

/** How churn is scored (CHURN_BGNBD_PARAMS, CHURN_MARGIN, ...); unset variables take ChurnSettings' defaults. */
export function churnSettingsOf(config: EnvConfig): ChurnSettings {
  return ChurnSettings.parse({
    bgNbdParams: config.CHURN_BGNBD_PARAMS,
    margin: config.CHURN_MARGIN,
    discountRate: config.CHURN_DISCOUNT_RATE,
    clvYears: config.CHURN_CLV_YEARS,
    gapMultiple: config.CHURN_GAP_MULTIPLE,
  });
}

/** The churn scan's settings (CHURN_RISK_THRESHOLD, CHURN_SCAN_PERIOD, CHURN_SCAN_PAGE_SIZE, CHURN_REENROL_AFTER_DAYS). */
export function churnScanSettingsOf(config: EnvConfig): ChurnScanSettings {
  return {
    threshold: config.CHURN_RISK_THRESHOLD,
    period: config.CHURN_SCAN_PERIOD,
    pageSize: config.CHURN_SCAN_PAGE_SIZE,
    reenrolAfterDays: config.CHURN_REENROL_AFTER_DAYS,
  };
}
