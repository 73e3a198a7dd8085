/**
 * The schema, as an append-only list: never edit an applied entry, add a new one.
 * Runs unchanged on PGlite and PostgreSQL.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE customers (
    id text PRIMARY KEY,
    email text NOT NULL,
    name text,
    locale text NOT NULL,
    time_zone text NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  );

  -- Every accepted event, once: the event id is the idempotency key.
  CREATE TABLE events (
    id text PRIMARY KEY,
    type text NOT NULL,
    customer_id text NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    data jsonb NOT NULL,
    -- set once the router has started/signalled every run the event concerns
    routed_at timestamptz,
    routing jsonb
  );
  CREATE INDEX events_customer ON events (customer_id, occurred_at);

  -- One row per send key (run + step), written before SMTP and completed after.
  CREATE TABLE send_log (
    key text PRIMARY KEY,
    workflow_id text NOT NULL,
    customer_id text NOT NULL,
    template text NOT NULL,
    locale text,
    recipient text,
    message_id text NOT NULL,
    status text NOT NULL,
    detail text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
  );
  CREATE INDEX send_log_customer ON send_log (customer_id, created_at);

  CREATE TABLE survey_invitations (
    id text PRIMARY KEY,
    workflow_id text NOT NULL,
    journey_id text NOT NULL,
    customer_id text NOT NULL,
    kind text NOT NULL,
    locale text NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );

  -- What the built-in SMTP sink received (the default email transport).
  CREATE TABLE inbox_messages (
    id bigserial PRIMARY KEY,
    message_id text,
    mail_from text,
    rcpt_to text NOT NULL,
    subject text,
    text_body text,
    html_body text,
    raw text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
  );
  `,
  `
  -- Every published version of every journey; a run keeps the snapshot it started with.
  CREATE TABLE journey_versions (
    journey_id text NOT NULL,
    version integer NOT NULL,
    definition jsonb NOT NULL,
    source text,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (journey_id, version)
  );
  `,
  `
  -- The built-in CRM: notes and tasks on a customer, each keyed by run + step (so a retry adds nothing).
  CREATE TABLE crm_notes (
    key text PRIMARY KEY,
    customer_id text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE crm_tasks (
    key text PRIMARY KEY,
    customer_id text NOT NULL,
    title text NOT NULL,
    assignee text,
    due_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'open',
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX crm_notes_customer ON crm_notes (customer_id, created_at);
  CREATE INDEX crm_tasks_customer ON crm_tasks (customer_id, status);

  -- The built-in gift provider's orders; the key (run + step) is the idempotency key.
  CREATE TABLE gift_orders (
    key text PRIMARY KEY,
    customer_id text NOT NULL,
    campaign text NOT NULL,
    value numeric NOT NULL,
    currency text NOT NULL,
    code text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX gift_orders_campaign ON gift_orders (campaign, created_at);
  `,
  `
  -- The contact policy: what category each send had and when it was decided (caps count rows in a window).
  ALTER TABLE send_log ADD COLUMN category text NOT NULL DEFAULT 'transactional';
  ALTER TABLE send_log ADD COLUMN decided_at timestamptz;
  UPDATE send_log SET decided_at = created_at;
  UPDATE send_log SET status = 'sending' WHERE status = 'pending';
  ALTER TABLE send_log ALTER COLUMN decided_at SET NOT NULL;
  CREATE INDEX send_log_policy ON send_log (customer_id, category, decided_at);

  -- A customer's stand per category (granted, soft-opt-in, opted-out), and who set it.
  CREATE TABLE contact_preferences (
    customer_id text NOT NULL,
    category text NOT NULL,
    state text NOT NULL,
    source text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, category)
  );

  -- Addresses no survey or marketing mail goes to (hard bounces, complaints, manual); lower-case.
  CREATE TABLE suppressions (
    email text PRIMARY KEY,
    reason text NOT NULL,
    note text,
    source text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  `,
  `
  -- Survey answers: one per invitation (a second answer replaces the first until the survey closes).
  -- The scale is stored with every answer, and the segment (customer attributes and ticket data such as
  -- team) as it was when the invitation went out, so metrics never guess either.
  CREATE TABLE survey_responses (
    invitation_id text PRIMARY KEY,
    workflow_id text NOT NULL,
    journey_id text NOT NULL,
    customer_id text NOT NULL,
    kind text NOT NULL,
    scale_min integer NOT NULL,
    scale_max integer NOT NULL,
    score integer NOT NULL,
    class text NOT NULL,
    comment text,
    segment jsonb NOT NULL DEFAULT '{}',
    answered_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    revisions integer NOT NULL DEFAULT 1
  );
  CREATE INDEX survey_responses_journey ON survey_responses (journey_id, kind, answered_at);
  ALTER TABLE survey_invitations ADD COLUMN segment jsonb NOT NULL DEFAULT '{}';
  ALTER TABLE survey_invitations ADD COLUMN thresholds jsonb;
  ALTER TABLE survey_invitations ADD COLUMN closed_at timestamptz;
  CREATE INDEX survey_invitations_journey ON survey_invitations (journey_id, kind, created_at);

  -- A follow-up task belongs to the run that created it: closing it signals that run (task.closed).
  ALTER TABLE crm_tasks ADD COLUMN workflow_id text;
  ALTER TABLE crm_tasks ADD COLUMN note text;
  ALTER TABLE crm_tasks ADD COLUMN closed_at timestamptz;
  `,
  `
  -- Orders per customer: imported in bulk or appended by order.placed events; the history churn scoring reads.
  CREATE TABLE orders (
    customer_id text NOT NULL,
    id text NOT NULL,
    occurred_at timestamptz NOT NULL,
    amount numeric NOT NULL,
    currency text NOT NULL,
    source text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, id)
  );
  CREATE INDEX orders_customer_time ON orders (customer_id, occurred_at);
  INSERT INTO orders (customer_id, id, occurred_at, amount, currency, source)
    SELECT customer_id, data->>'orderId', occurred_at, (data->>'amount')::numeric, data->>'currency', 'event'
    FROM events WHERE type = 'order.placed' AND data->>'orderId' IS NOT NULL
    ON CONFLICT DO NOTHING;
  -- Webhook requesters are looked up by email.
  CREATE INDEX customers_email ON customers (lower(email));

  -- How each run ended (written once when it completes): metrics across runs, e.g. the win-back rate of
  -- treated customers against the holdout.
  CREATE TABLE run_outcomes (
    workflow_id text PRIMARY KEY,
    journey_id text NOT NULL,
    journey_version integer NOT NULL,
    customer_id text NOT NULL,
    run_key text,
    outcome text NOT NULL,
    ended_by text,
    holdout boolean NOT NULL DEFAULT false,
    paths jsonb NOT NULL DEFAULT '{}',
    started_at timestamptz NOT NULL,
    ended_at timestamptz NOT NULL
  );
  CREATE INDEX run_outcomes_journey ON run_outcomes (journey_id, started_at);

  -- Personal coupon codes (e.g. the win-back offer); the key (run + step) makes a retry issue nothing new.
  CREATE TABLE coupons (
    key text PRIMARY KEY,
    code text NOT NULL UNIQUE,
    customer_id text NOT NULL,
    campaign text NOT NULL,
    percent_off numeric,
    amount_off numeric,
    currency text,
    expires_at timestamptz NOT NULL,
    redeemed_order_id text,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX coupons_customer ON coupons (customer_id, created_at);
  `,
  `
  -- The gift ledger: one row per gift a run books (key = run + step, also the provider's external_id).
  -- Budgets and the cooldown read it; statuses that hold budget are listed in model/gift.ts.
  CREATE TABLE gifts (
    key text PRIMARY KEY,
    workflow_id text NOT NULL,
    journey_id text NOT NULL,
    customer_id text NOT NULL,
    campaign text NOT NULL,
    period text NOT NULL,
    product_id text,
    kind text,
    cost numeric NOT NULL DEFAULT 0,
    currency text NOT NULL,
    status text NOT NULL,
    reason text,
    provider text,
    provider_order_id text,
    reward jsonb,
    shipping_address jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX gifts_campaign_period ON gifts (campaign, period, status);
  CREATE INDEX gifts_customer ON gifts (customer_id, created_at);

  -- A campaign's budget per period; its row is locked (SELECT ... FOR UPDATE) while a gift is booked, so two
  -- runs cannot both take the last of it.
  CREATE TABLE gift_budgets (
    campaign text NOT NULL,
    period text NOT NULL,
    amount numeric NOT NULL,
    currency text NOT NULL,
    PRIMARY KEY (campaign, period)
  );
  `,
  `
  -- The built-in gift provider keeps whole provider orders: the product, physical gifts without a code but with
  -- the confirmed address, and a status that moves on (executed → delivered/failed) when fulfilment reports back.
  ALTER TABLE gift_orders ADD COLUMN provider_order_id text;
  UPDATE gift_orders SET provider_order_id = key;
  ALTER TABLE gift_orders ALTER COLUMN provider_order_id SET NOT NULL;
  ALTER TABLE gift_orders ADD COLUMN product_id text;
  ALTER TABLE gift_orders ADD COLUMN kind text NOT NULL DEFAULT 'digital';
  ALTER TABLE gift_orders ADD COLUMN email text;
  ALTER TABLE gift_orders ADD COLUMN delivery text;
  ALTER TABLE gift_orders ALTER COLUMN code DROP NOT NULL;
  ALTER TABLE gift_orders ADD COLUMN reward_link text;
  ALTER TABLE gift_orders ADD COLUMN shipping_address jsonb;
  ALTER TABLE gift_orders ADD COLUMN failure_reason text;
  ALTER TABLE gift_orders ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
  `,
];
