/**
 * The emailed links that carry a token — an invitation to set a password (user_invitations) and a password reset
 * (password_resets) — are looked up the same way: by the SHA-256 of the token (only the hash is stored), with the user
 * the link is for and that user's organisation. When a link may be used differs (an invitation wants the user still
 * invited, a reset wants the user active) and stays with each caller.
 */
import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organisations, passwordResets, userInvitations, users } from '../../db/schema';
import { hashToken } from '../domain/invitation-token';

type TokenLinkTable = typeof userInvitations | typeof passwordResets;

export interface TokenLink<L extends TokenLinkTable> {
  link: L['$inferSelect'];
  user: Pick<typeof users.$inferSelect, 'id' | 'name' | 'email' | 'status' | 'organisationId' | 'locale'>;
  organisationName: string;
  timeZone: string;
}

/** The link whose token this is, with its user and organisation; null when no link has it. */
export async function findTokenLink<L extends TokenLinkTable>(db: Executor, table: L, token: string): Promise<TokenLink<L> | null> {
  // Both tables have the columns used here (user_id, token_hash); the row is typed as the table passed in.
  const link = table as typeof userInvitations;
  const [row] = await db.select({
    link,
    user: { id: users.id, name: users.name, email: users.email, status: users.status, organisationId: users.organisationId, locale: users.locale },
    organisationName: organisations.name, timeZone: organisations.timeZone,
  }).from(link)
    .innerJoin(users, eq(users.id, link.userId))
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(link.tokenHash, hashToken(token))).limit(1);
  return (row ?? null) as TokenLink<L> | null;
}
