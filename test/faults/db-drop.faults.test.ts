/**
 * The database drops the API's connections in the middle of requests (MariaDB `KILL CONNECTION` on every connection
 * of the API's database, again and again, while users create partners and read lists): a request that loses its
 * connection is answered 503 "Please try again" (never a 500), nothing is half-written (every partner that exists
 * has its company, its locations, its audit entry and its invitation start; no company without its partnership), and
 * the API recovers by itself: once the connections stop dropping, every request succeeds again, no restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import mysql from 'mysql2/promise';
import { and, eq, inArray, like } from 'drizzle-orm';
import { auditLog, organisations, partnershipLocations, partnerships, workflowOutbox } from '../../db/schema';
import { partnerInvitationWorkflowId } from '../../server/workflow-outbox';
import { TEST_MYSQL_URL } from '../env';
import { DEMO, inviteNewCompany, signedIn } from './fixtures';
import { startFaultStack, type Browser, type FaultStack } from './stack';

let stack: FaultStack;

beforeAll(async () => {
  stack = await startFaultStack();
  await stack.startApi();
});
afterAll(async () => { await stack?.close(); });

type Outcome = { ok: true; partnershipId?: number } | { ok: false; status: number | undefined; key: string | undefined; message: string };

async function attempt(fn: () => Promise<{ partnershipId?: number } | unknown>): Promise<Outcome> {
  try {
    const value = await fn() as { partnershipId?: number };
    return { ok: true, partnershipId: value?.partnershipId };
  } catch (err) {
    if (!(err instanceof TRPCClientError)) throw err;
    const data = (err.data ?? {}) as { httpStatus?: number; key?: string };
    return { ok: false, status: data.httpStatus, key: data.key, message: err.message };
  }
}

/** Kills every connection the API holds to its database, from a root connection of the test. */
async function killApiConnections(root: mysql.Connection, dbName: string): Promise<number> {
  const [rows] = await root.query<mysql.RowDataPacket[]>(
    'SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [dbName]);
  for (const { ID } of rows) await root.query(`KILL CONNECTION ${Number(ID)}`).catch(() => undefined);
  return rows.length;
}

describe('database connections drop during requests', () => {
  it('users get "try again", nothing is half-written, the API recovers by itself', async () => {
    const admin = await signedIn(stack, DEMO.admin);
    const root = await mysql.createConnection({ uri: `${TEST_MYSQL_URL}/` });
    const outcomes: Outcome[] = [];
    let stop = false;
    let n = 0;
    const user = async (b: Browser) => {
      while (!stop) {
        outcomes.push(await attempt(() => inviteNewCompany(b, `contact${n++}@db-drop.example.ro`)));
        outcomes.push(await attempt(() => b.api.partners.list.query({})));
      }
    };
    const users = [admin, admin, await signedIn(stack, DEMO.admin), await signedIn(stack, DEMO.admin)].map(user);
    let killed = 0;
    try {
      // Twenty rounds of kills while four users keep writing and reading.
      for (let round = 0; round < 20; round++) {
        await new Promise((r) => setTimeout(r, 150));
        killed += await killApiConnections(root, stack.dbName);
      }
    } finally {
      stop = true;
      await Promise.all(users);
      await root.end();
    }

    const failures = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    expect(killed).toBeGreaterThan(0);
    expect(failures.length, 'some requests lost their connection').toBeGreaterThan(0);
    expect(outcomes.some((o) => o.ok), 'requests between the kills succeeded').toBe(true);
    // Every failure is the clear, retryable answer: 503 with the "try again" message, never a 500.
    // On failure, the API's own error lines say which error was not recognised as a lost connection.
    const apiErrors = () => stack.api.output.split('\n').filter((l) => /"level":"(error|fatal)"/.test(l)).slice(-5).join('\n');
    expect(failures.filter((f) => f.status !== 503 || f.key !== 'error.try_again'), apiErrors()).toEqual([]);
    expect(failures[0].message).toMatch(/try again/i);

    // Recovers by itself: the next requests all succeed on new connections (the pool dropped the killed ones).
    for (let i = 0; i < 10; i++) {
      const read = await attempt(() => admin.api.partners.list.query({}));
      expect(read, `read ${i} after the drops`).toMatchObject({ ok: true });
    }
    const after = await attempt(() => inviteNewCompany(admin, 'after-the-drops@db-drop.example.ro'));
    expect(after).toMatchObject({ ok: true });

    // Nothing half-written: every test company has its partnership, and every partnership its locations, audit entry
    // and invitation start; every invitation the API confirmed exists.
    const { db } = stack.database;
    const companies = await db.select({ id: organisations.id }).from(organisations).where(like(organisations.name, 'Fault Test %'));
    const created = await db.select({ id: partnerships.id, org: partnerships.partnerOrganisationId }).from(partnerships)
      .where(inArray(partnerships.partnerOrganisationId, companies.map((c) => c.id)));
    expect(created.map((p) => p.org).sort()).toEqual(companies.map((c) => c.id).sort());
    const ids = created.map((p) => p.id);
    const locationRows = await db.selectDistinct({ id: partnershipLocations.partnershipId }).from(partnershipLocations).where(inArray(partnershipLocations.partnershipId, ids));
    const audits = await db.selectDistinct({ id: auditLog.objectId }).from(auditLog)
      .where(and(eq(auditLog.action, 'partnership.create'), inArray(auditLog.objectId, ids.map(String))));
    const starts = await db.selectDistinct({ id: workflowOutbox.workflowId }).from(workflowOutbox)
      .where(inArray(workflowOutbox.workflowId, ids.map(partnerInvitationWorkflowId)));
    expect(locationRows).toHaveLength(ids.length);
    expect(audits).toHaveLength(ids.length);
    expect(starts).toHaveLength(ids.length);
    const confirmed = outcomes.filter((o) => o.ok && o.partnershipId).map((o) => (o as { partnershipId: number }).partnershipId);
    expect(ids).toEqual(expect.arrayContaining(confirmed));
    expect(stack.api.running).toBe(true);
  });
});
