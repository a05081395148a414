/**
 * Data of the booking screens: the types of the bookings API (server/routers/bookings.ts), the query keys and hooks.
 * Every booking query key starts with BOOKINGS_QUERY_KEY, so one invalidation refreshes calendars, lists and details
 * after a change.
 */
import { useQuery } from '@tanstack/solid-query';
import { trpc, type RouterInputs, type RouterOutputs } from '../../trpc';

export type BookingOptions = RouterOutputs['bookings']['bookingOptions'];
export type BookableInstitution = BookingOptions['institutions'][number];
export type InstitutionOptions = RouterOutputs['bookings']['institutionOptions'];
export type CalendarWeek = RouterOutputs['bookings']['calendars'];
export type CalendarColumn = CalendarWeek['calendars'][number];
export type CalendarDay = CalendarColumn['days'][number];
export type FreeSlot = CalendarDay['free'][number];
export type BookedSlot = CalendarDay['booked'][number];
export type BookingSource = NonNullable<BookedSlot['details']>['source'];
export type BookingDetails = RouterOutputs['bookings']['get'];
export type BookingWorkflowStep = RouterOutputs['bookings']['workflowStep'];
export type BookingEvent = BookingDetails['events'][number];
export type MyBookingRow = RouterOutputs['bookings']['myBookings']['items'][number];
export type CancelLinkInfo = RouterOutputs['bookings']['cancelLinkInfo'];
export type CalendarInput = RouterInputs['bookings']['calendars'];
export type InstitutionCalendarInput = RouterInputs['bookings']['institutionCalendar'];
export type NewPatient = Extract<RouterInputs['bookings']['create']['patient'], { kind: 'new' }>;
export type PatientInput = RouterInputs['bookings']['create']['patient'];
export type PatientHit = RouterOutputs['bookings']['searchPatients']['patients'][number];

export type BookingStatus = BookingDetails['status'];
export type PaymentStatus = BookingDetails['paymentStatus'];

/** Which side of a booking the user acts on: the booking partner, or the institution that holds the calendar. */
export type BookingSide = 'partner' | 'institution';

export const BOOKINGS_QUERY_KEY = ['bookings'] as const;

export function useBookingOptions(enabled: () => boolean = () => true) {
  return useQuery(() => ({
    queryKey: [...BOOKINGS_QUERY_KEY, 'bookingOptions'],
    queryFn: () => trpc.bookings.bookingOptions.query(),
    enabled: enabled(),
    staleTime: 60_000,
  }));
}

export function useInstitutionOptions(enabled: () => boolean = () => true) {
  return useQuery(() => ({
    queryKey: [...BOOKINGS_QUERY_KEY, 'institutionOptions'],
    queryFn: () => trpc.bookings.institutionOptions.query(),
    enabled: enabled(),
    staleTime: 60_000,
  }));
}

/** One week of calendars, from the partner's side or the institution's own. Null input: not shown yet. */
export function useCalendarWeek(side: () => BookingSide, input: () => CalendarInput | null) {
  return useQuery(() => ({
    queryKey: [...BOOKINGS_QUERY_KEY, 'calendar', side(), input()],
    queryFn: () => {
      const i = input()!;
      return side() === 'partner' ? trpc.bookings.calendars.query(i) : trpc.bookings.institutionCalendar.query(i);
    },
    enabled: input() !== null,
    // Slots are taken by others all the time: refresh whenever the week is shown again.
    staleTime: 0,
    refetchInterval: 60_000,
    placeholderData: (previous: CalendarWeek | undefined) => previous,
  }));
}

export function useBooking(id: () => number | null) {
  return useQuery(() => ({
    queryKey: [...BOOKINGS_QUERY_KEY, 'detail', id()],
    queryFn: () => trpc.bookings.get.query({ bookingId: id()! }),
    enabled: id() !== null,
    staleTime: 0,
  }));
}

/**
 * The lifecycle workflow's next step of a booking, asked apart from its details (a Temporal query that may take a while
 * or not answer: the server then says 'unavailable'). Under the booking's key, so a change refreshes it too.
 */
export function useBookingWorkflowStep(id: () => number | null, enabled: () => boolean = () => true) {
  return useQuery(() => ({
    queryKey: [...BOOKINGS_QUERY_KEY, 'detail', id(), 'workflowStep'],
    queryFn: () => trpc.bookings.workflowStep.query({ bookingId: id()! }),
    enabled: id() !== null && enabled(),
    staleTime: 0,
    retry: false,
    // "Not available right now" is often a busy worker or a workflow still starting: ask again quietly while shown.
    refetchInterval: (q: { state: { data?: { status: string } } }) => (q.state.data?.status === 'unavailable' ? 5_000 : false),
  }));
}

/** A route parameter as a booking id, or null when it is not one. */
export function parseBookingId(value: string | undefined): number | null {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return null;
  return Number(value);
}
