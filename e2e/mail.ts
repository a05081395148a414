/** Reads the emails the app sent from MailDev's REST API (the stack for the browser tests runs MailDev). */
import { E2E } from './playwright.config';

export interface MailDevEmail { subject: string; text: string; to: { address: string }[] }

export async function waitForEmail(to: string, match: RegExp = /./, timeoutMs = 30_000): Promise<MailDevEmail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${E2E.maildevWeb}/email`);
    const emails = (await res.json()) as MailDevEmail[];
    const found = emails.find((e) => e.to.some((t) => t.address === to) && match.test(e.text));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no email to ${to} matching ${match} arrived in MailDev`);
}

export function linkIn(email: MailDevEmail, path: string): string {
  // A token may hold dots (a booking's cancel token is '<id>.<mac>'); a dot ending the sentence is not part of it.
  const link = new RegExp(`https?://\\S+${path.replace(/[/?]/g, '\\$&')}\\?token=[A-Za-z0-9_%-]+(?:\\.[A-Za-z0-9_%-]+)*`).exec(email.text)?.[0];
  if (!link) throw new Error(`no ${path} link in: ${email.text}`);
  return link;
}
