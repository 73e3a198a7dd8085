import { createSmtpMailer } from '../../activities/email/mailer';
import { sendEmail, type SendEmailResult } from '../../activities/email/send-email';
import { TemplateLibrary } from '../../activities/email/templates';
import { ContactGate } from '../../activities/policy/contact-policy';
import type { Touchpoint } from '../../client/app';
import type { ContactPolicy } from '../../model/contact-policy';
import { templatesWithHello } from './templates';
import { TEST_SECRET } from './touchpoint';

/**
 * Calls the send activity `count` times at once for one customer, as that many runs would (each its own
 * run and send key), through the Touchpoint's database and its SMTP server: what the contact policy lets
 * through under contention.
 */
export async function sendInParallel(
  touchpoint: Touchpoint,
  options: { customerId: string; policy: ContactPolicy; count: number },
): Promise<SendEmailResult[]> {
  const mailer = createSmtpMailer(touchpoint.smtp.url);
  try {
    const deps = {
      stores: touchpoint.stores,
      templates: new TemplateLibrary(templatesWithHello()),
      mailer,
      gate: new ContactGate(touchpoint.stores.db, options.policy),
      secret: TEST_SECRET,
      publicUrl: touchpoint.publicUrl,
      mailFrom: 'Touchpoint <touchpoint@example.com>',
      company: { name: 'Example', address: 'Example Street 1' },
    };
    return await Promise.all(
      Array.from({ length: options.count }, (_, i) =>
        sendEmail(deps, {
          key: `parallel-${options.customerId}-${i}/offer`,
          workflowId: `parallel-${options.customerId}-${i}`,
          journeyId: 'parallel',
          category: 'marketing',
          customerId: options.customerId,
          template: 'hello',
        }),
      ),
    );
  } finally {
    mailer.close();
  }
}
