import { createActivities, type ActivityDeps } from '../../activities';
import type { Mailer } from '../../activities/email/mailer';
import { TemplateLibrary } from '../../activities/email/templates';
import { ContactGate } from '../../activities/policy/contact-policy';
import type { Stores } from '../../activities/store';
import { templatesWithHello } from './templates';
import { OPEN_POLICY, TEST_SECRET } from './touchpoint';

/**
 * The real activities for a worker a test runs itself (e.g. on the time-skipping server): the test's stores and
 * mailer, the built-in templates plus "hello", the open contact policy; anything else overridden.
 */
export function testActivities(deps: { stores: Stores; mailer: Mailer } & Partial<ActivityDeps>) {
  return createActivities({
    templates: new TemplateLibrary(templatesWithHello()),
    gate: new ContactGate(deps.stores.db, OPEN_POLICY),
    secret: TEST_SECRET,
    publicUrl: 'https://cx.example.com/',
    mailFrom: 'Touchpoint <touchpoint@example.com>',
    company: { name: 'Example', address: 'Example Street 1' },
    ...deps,
  });
}
