/** SMTP sending through nodemailer. In development MailDev catches the mail; tests run their own SMTP server. */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { RenderedEmail } from './templates';

export interface Mailer {
  /** `messageKey` (the email outbox key) makes the Message-ID: a resend of the same row carries the same one. */
  send(to: string, email: RenderedEmail, opts?: { messageKey?: string }): Promise<void>;
  close(): void;
}

/**
 * One Message-ID per email outbox row. Delivery is retried after a crash between the SMTP server's "accepted" and
 * marking the row sent (a window of milliseconds); the copy then carries the same Message-ID, by which mail systems
 * and clients recognise it as the same message.
 */
export function messageIdFor(messageKey: string): string {
  return `<${createHash('sha256').update(messageKey).digest('hex').slice(0, 40)}@partner-module.mail>`;
}

export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(to, email, opts) {
      await transport.sendMail({
        from, to, subject: email.subject, text: email.text, html: email.html,
        ...(opts?.messageKey ? { messageId: messageIdFor(opts.messageKey) } : {}),
      });
    },
    close: () => transport.close(),
  };
}
