/**
 * The server's side of the workflows: workflow IDs, and writing workflow starts and signals into the outbox inside the
 * business transaction. The dispatcher (workflows/client.ts today) starts them after commit.
 * (Being moved here from workflows/client.ts so that server/ never imports workflows/.)
 */
import { workflowOutbox } from '../db/schema';
import type { Db } from '../db/client';

type Tx = Pick<Db, 'insert'>;

export const bookingWorkflowId = (bookingId: number) => `booking:${bookingId}`;

/** Input of the BookingLifecycle workflow: IDs only, never patient data. */
export interface BookingLifecycleInput {
  bookingId: number;
  /** Set by the outbox dispatcher (`outbox:<rowId>`). */
  roundKey?: string;
}

/** What the booking lifecycle workflow answers to its `state` query (shown on the booking details as the next step). */
export interface BookingLifecycleState {
  phase: 'confirming' | 'waiting' | 'reminded' | 'finished';
  nextStep: { kind: 'reminder' | 'fulfilment'; at: string } | null;
}

export async function enqueueBookingLifecycle(tx: Tx, booking: { id: number; institutionId: number; partnershipId: number | null }) {
  const args: BookingLifecycleInput = { bookingId: booking.id };
  await tx.insert(workflowOutbox).values({
    workflowType: 'bookingLifecycle', workflowId: bookingWorkflowId(booking.id), args, mode: 'start',
    searchAttributes: {
      InstitutionId: String(booking.institutionId), BookingId: String(booking.id),
      ...(booking.partnershipId ? { PartnershipId: String(booking.partnershipId) } : {}),
    },
  });
}

/** Wakes the booking's lifecycle workflow after a change (moved, cancelled, marked): it re-reads the booking. */
export async function enqueueBookingChanged(tx: Tx, bookingId: number) {
  await tx.insert(workflowOutbox).values({ workflowType: '', workflowId: bookingWorkflowId(bookingId), args: [], mode: 'signal', signalName: 'changed' });
}
