/** SMTP sending through nodemailer. In development MailDev catches the mail; tests run their own SMTP server. */
import nodemailer from 'nodemailer';
import type { RenderedEmail } from './templates';

export interface Mailer { send(to: string, email: RenderedEmail): Promise<void>; close(): void }

export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(to, email) {
      await transport.sendMail({ from, to, subject: email.subject, text: email.text, html: email.html });
    },
    close: () => transport.close(),
  };
}
