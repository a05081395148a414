/**
 * server/logger.ts in isolation: redaction of credential, email and patient fields at any of three levels, errors
 * described (no query parameters, no email addresses), request IDs accepted or replaced, paths without tokens, and
 * Temporal's log calls mapped onto pino with their metadata as fields.
 */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { acceptableRequestId, createLogger, loggablePath, temporalLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({ write(chunk, _e, done) { for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l)); done(); } });
  return { lines, log: createLogger({ level: 'trace', destination }) };
}

describe('redaction', () => {
  it('censors credentials, email fields and patient fields at the top level and two objects deep', () => {
    const { lines, log } = capture();
    log.info({
      password: 'hunter2-hunter2', token: 'tok', email: 'ana@example.ro', userId: 3,
      patient: { name: 'Maria Pop', phone: '0722' },
      booking: { id: 9, patient: { nationalId: '2850412120019' }, notes: 'allergic' },
      outer: { inner: { birthDate: '1985-04-12', status: 'booked' } },
      headers: { cookie: 'pm_session=x.y' }, 'set-cookie': 'pm_session=x.y',
    }, 'probe');
    const text = JSON.stringify(lines);
    for (const secret of ['hunter2', 'tok"', 'ana@example.ro', 'Maria Pop', '0722', '2850412120019', 'allergic', '1985-04-12', 'pm_session']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'probe', userId: 3, booking: { id: 9 }, outer: { inner: { status: 'booked' } } });
  });

  it('describes errors (name, code, first line) without query parameters or email addresses', () => {
    const { lines, log } = capture();
    const cause = Object.assign(new Error("Duplicate entry 'ana@example.ro' for key 'users_email_uq'"), { code: 'ER_DUP_ENTRY' });
    log.error({ err: new Error('Failed query: insert into `users` (`email`) values (?)\nparams: ana@example.ro', { cause }) }, 'insert failed');
    expect(lines[0].err).toContain('ER_DUP_ENTRY');
    expect(JSON.stringify(lines)).not.toContain('ana@example.ro');
    expect(JSON.stringify(lines)).not.toContain('params');
  });
});

describe('request IDs and paths', () => {
  it('keeps a plain short X-Request-Id and refuses anything else', () => {
    expect(acceptableRequestId('lb-4f2a.77:1')).toBe(true);
    expect(acceptableRequestId('2b1f8c3e-9c1d-4c55-a0f4-6f7c2f1d9e21')).toBe(true);
    for (const bad of ['', 'a b', 'x'.repeat(129), 'id\nforged-line', '<script>', undefined, ['a', 'b']]) expect(acceptableRequestId(bad)).toBe(false);
  });

  it('keeps procedure names and IDs in paths, and hides an opaque token someone put in one', () => {
    expect(loggablePath('/trpc/partners.invitationPreview,users.list')).toBe('/trpc/partners.invitationPreview,users.list');
    expect(loggablePath('/settlement-statements/42')).toBe('/settlement-statements/42');
    expect(loggablePath('/cancel/Zk3v9QmR2xW8pL5tN7yB1cD4fG6hJ0aS')).toBe('/cancel/:opaque');
  });
});

describe('Temporal logger', () => {
  it('maps the SDK\'s levels and metadata onto pino fields; describes failures; drops the task token', () => {
    const { lines, log } = capture();
    const t = temporalLogger(() => log);
    t.info('Activity completed', { workflowId: 'booking:12', workflowType: 'bookingLifecycle', activityType: 'deliverEmail', attempt: 1, taskToken: 'AAEC' });
    t.warn('Activity failed', { workflowId: 'booking:12', error: Object.assign(new Error('550 rejected <ana@example.ro>'), { code: 'EENVELOPE' }) });
    t.log('DEBUG', 'Workflow started', { workflowId: 'settlement:1:2026-10' });
    expect(lines[0]).toMatchObject({ level: 'info', component: 'temporal', msg: 'Activity completed', workflowId: 'booking:12', activityType: 'deliverEmail', attempt: 1 });
    expect(lines[0]).not.toHaveProperty('taskToken');
    expect(lines[1]).toMatchObject({ level: 'warn', workflowId: 'booking:12' });
    expect(lines[1].err).toContain('EENVELOPE');
    expect(JSON.stringify(lines[1])).not.toContain('ana@example.ro');
    expect(lines[2]).toMatchObject({ level: 'debug', workflowId: 'settlement:1:2026-10' });
  });
});
