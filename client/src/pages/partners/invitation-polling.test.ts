import { describe, expect, it } from 'vitest';
import { invitationInTransit } from './partners-data';
import { invitationAwaited, POLL_FOR_MS } from '../users/users-data';

const sent = '2026-11-30T06:00:00.000Z';
const invitation = { kind: 'registration' as const, sentAt: sent, expiresAt: '2026-12-14T06:00:00.000Z', remindersSent: 0, usedAt: null };
const state = (phase: 'sending' | 'waiting') => ({
  phase, waitingFor: null, invitationId: 1, remindersSent: 0, nextReminderAt: null, expiresAt: null,
});

describe('invitationInTransit (the partner page asks again while it holds)', () => {
  it('holds until the round is issued and the workflow waits for the partner', () => {
    expect(invitationInTransit({ status: 'pending_registration', invitation: null, workflow: { id: 'w', state: null } })).toBe(true);
    expect(invitationInTransit({ status: 'pending_registration', invitation, workflow: { id: 'w', state: state('sending') } })).toBe(true);
    expect(invitationInTransit({ status: 'pending_approval', invitation, workflow: { id: 'w', state: state('waiting') } })).toBe(false);
  });
  it('after a resend, holds while the replaced round is still the latest', () => {
    const p = { status: 'pending_registration' as const, invitation, workflow: { id: 'w', state: state('waiting') } };
    expect(invitationInTransit(p, sent)).toBe(true);
    expect(invitationInTransit(p, '2026-11-29T06:00:00.000Z')).toBe(false);
  });
  it('never holds for a settled partnership', () => {
    expect(invitationInTransit({ status: 'active', invitation: null, workflow: { id: 'w', state: null } })).toBe(false);
    expect(invitationInTransit({ status: 'withdrawn', invitation: null, workflow: { id: 'w', state: null } })).toBe(false);
  });
});

describe('invitationAwaited (the users list says "sending" instead of "no valid link")', () => {
  const now = Date.parse('2026-11-30T06:00:10.000Z');
  const since = now - 5_000;
  it('only for a user whose invitation was just asked for, until its round is listed', () => {
    expect(invitationAwaited({ status: 'invited', invitation: null }, undefined, now)).toBe(false);
    expect(invitationAwaited({ status: 'invited', invitation: null }, { replaced: null, since }, now)).toBe(true);
    expect(invitationAwaited({ status: 'invited', invitation: { sentAt: sent, expiresAt: sent } }, { replaced: null, since }, now)).toBe(false);
  });
  it('after a resend, until a new round replaces the old one', () => {
    expect(invitationAwaited({ status: 'invited', invitation: { sentAt: sent, expiresAt: sent } }, { replaced: sent, since }, now)).toBe(true);
  });
  it('gives up after POLL_FOR_MS, and never for users who are not invited', () => {
    expect(invitationAwaited({ status: 'invited', invitation: null }, { replaced: null, since: now - POLL_FOR_MS }, now)).toBe(false);
    expect(invitationAwaited({ status: 'active', invitation: null }, { replaced: null, since }, now)).toBe(false);
  });
});
