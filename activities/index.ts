import { sendEmail, type SendEmailDeps, type SendEmailInput } from './email/send-email';

export type ActivityDeps = SendEmailDeps;

/** The activities the worker registers; workflows see only their types. */
export function createActivities(deps: ActivityDeps) {
  return {
    sendEmail: (input: SendEmailInput) => sendEmail(deps, input),
  };
}
export type Activities = ReturnType<typeof createActivities>;
