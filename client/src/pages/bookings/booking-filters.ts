/**
 * The filters of the calendars (institution, location, qualification, physician, service): each choice narrows the
 * options of the others, so that no combination offers a choice with nothing behind it. A choice that is no longer
 * among the options counts as "all". Pure functions over the options the API gives (bookings.bookingOptions for a
 * booker, bookings.institutionOptions for an institution's own calendar).
 */

export interface FilterOptions {
  institutions: { id: number; name: string }[];
  locations: { id: number; name: string; institutionId: number; timeZone: string }[];
  qualifications: { id: number; name: string; institutionId: number }[];
  physicians: { id: number; name: string; institutionId: number; qualificationIds: number[]; locationIds: number[] }[];
  services: { id: number; name: string; institutionId: number; qualificationId: number; durationMinutes: number }[];
}

export interface FilterChoice {
  institutionId: number | null;
  locationId: number | null;
  qualificationId: number | null;
  physicianId: number | null;
  serviceId: number | null;
}

export const NO_CHOICE: FilterChoice = { institutionId: null, locationId: null, qualificationId: null, physicianId: null, serviceId: null };

interface OptionSource {
  institutionId: number;
  institutionName: string;
  locations: { id: number; name: string; timeZone: string }[];
  qualifications: { id: number; name: string }[];
  physicians: { id: number; name: string; qualificationIds: number[]; locationIds: number[] }[];
  services: { id: number; name: string; qualificationId: number; durationMinutes: number }[];
}

/** Flattens the options of one or more institutions into one list per filter, each item knowing its institution. */
export function flattenOptions(sources: OptionSource[]): FilterOptions {
  const out: FilterOptions = { institutions: [], locations: [], qualifications: [], physicians: [], services: [] };
  for (const s of sources) {
    const institutionId = s.institutionId;
    out.institutions.push({ id: institutionId, name: s.institutionName });
    for (const l of s.locations) out.locations.push({ ...l, institutionId });
    for (const q of s.qualifications) out.qualifications.push({ ...q, institutionId });
    for (const p of s.physicians) out.physicians.push({ ...p, institutionId });
    for (const v of s.services) out.services.push({ ...v, institutionId });
  }
  return out;
}

/** The options left by the other choices: every list is narrowed by every choice except its own. */
export function narrowOptions(options: FilterOptions, choice: FilterChoice): FilterOptions {
  const c = effectiveChoice(options, choice);
  return narrowBy(options, c);
}

function narrowBy(options: FilterOptions, c: FilterChoice): FilterOptions {
  const inInstitution = (item: { institutionId: number }) => c.institutionId === null || item.institutionId === c.institutionId;
  const service = c.serviceId === null ? null : options.services.find((s) => s.id === c.serviceId) ?? null;
  const physician = c.physicianId === null ? null : options.physicians.find((p) => p.id === c.physicianId) ?? null;

  const physicianFits = (p: FilterOptions['physicians'][number], skip: keyof FilterChoice) =>
    inInstitution(p)
    && (skip === 'locationId' || c.locationId === null || p.locationIds.includes(c.locationId))
    && (skip === 'qualificationId' || c.qualificationId === null || p.qualificationIds.includes(c.qualificationId))
    && (skip === 'serviceId' || service === null || p.qualificationIds.includes(service.qualificationId));

  const serviceFits = (s: FilterOptions['services'][number], skip: keyof FilterChoice) =>
    inInstitution(s)
    && (skip === 'qualificationId' || c.qualificationId === null || s.qualificationId === c.qualificationId)
    && (skip === 'physicianId' || physician === null || physician.qualificationIds.includes(s.qualificationId))
    && (skip === 'locationId' || c.locationId === null
      || options.physicians.some((p) => p.locationIds.includes(c.locationId!) && p.qualificationIds.includes(s.qualificationId)));

  const institutions = options.institutions.filter((i) =>
    (c.locationId === null || options.locations.some((l) => l.id === c.locationId && l.institutionId === i.id))
    && (c.physicianId === null || physician?.institutionId === i.id)
    && (c.serviceId === null || service?.institutionId === i.id)
    && (c.qualificationId === null || options.qualifications.some((q) => q.id === c.qualificationId && q.institutionId === i.id)));

  const locations = options.locations.filter((l) => inInstitution(l)
    && (physician === null || physician.locationIds.includes(l.id))
    && (c.qualificationId === null && service === null
      || options.physicians.some((p) => p.locationIds.includes(l.id) && physicianFits(p, 'locationId'))));

  const qualifications = options.qualifications.filter((q) => inInstitution(q)
    && (physician === null || physician.qualificationIds.includes(q.id))
    && (service === null || service.qualificationId === q.id)
    && (c.locationId === null || options.physicians.some((p) => p.locationIds.includes(c.locationId!) && p.qualificationIds.includes(q.id))));

  const physicians = options.physicians.filter((p) => physicianFits(p, 'physicianId'));
  const services = options.services.filter((s) => serviceFits(s, 'serviceId'));

  return { institutions, locations, qualifications, physicians, services };
}

/**
 * The choice as it applies: a choice missing from its (narrowed) options counts as "all". Choices are settled from
 * the widest (institution) to the narrowest (service), so an earlier choice wins over a later one.
 */
export function effectiveChoice(options: FilterOptions, choice: FilterChoice): FilterChoice {
  const c: FilterChoice = { ...NO_CHOICE };
  const order: [keyof FilterChoice, keyof FilterOptions][] = [
    ['institutionId', 'institutions'], ['locationId', 'locations'], ['qualificationId', 'qualifications'],
    ['physicianId', 'physicians'], ['serviceId', 'services'],
  ];
  for (const [key, list] of order) {
    const wanted = choice[key];
    if (wanted === null) continue;
    const narrowed = narrowBy(options, c)[list] as { id: number }[];
    if (narrowed.some((item) => item.id === wanted)) c[key] = wanted;
  }
  return c;
}
