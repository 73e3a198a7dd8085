import type { Mailer, OutgoingMail } from './mailer';

/** A Mailer that keeps messages instead of sending them: the simulator's dry run. */
export class RecordingMailer implements Mailer {
  readonly messages: OutgoingMail[] = [];

  async send(mail: OutgoingMail) {
    this.messages.push(mail);
    return { accepted: [mail.to], response: '250 recorded (dry run)' };
  }

  close(): void {}
}
