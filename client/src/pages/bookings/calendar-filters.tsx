/**
 * The filter row above the calendars: institution (when the user may book at more than one), location,
 * qualification, physician and service, each "All" by default and narrowed by the others (booking-filters.ts).
 * The choice lives in the address (?institution=&location=&qualification=&physician=&service=&week=), so that Back
 * and a reload show the same calendars.
 */
import { For, Show } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { t, type MessageKey } from '../../i18n';
import { effectiveChoice, narrowOptions, type FilterChoice, type FilterOptions } from './booking-filters';
import { browserTimeZone, isYmd, mondayOf, todayIn } from './booking-time';

type Params = { institution?: string; location?: string; qualification?: string; physician?: string; service?: string; week?: string; show?: string };

const PARAM_OF: Record<keyof FilterChoice, keyof Params> = {
  institutionId: 'institution', locationId: 'location', qualificationId: 'qualification', physicianId: 'physician', serviceId: 'service',
};

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
function idOf(value: string | undefined): number | null {
  return value && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null;
}

/** The filters, week and "shown" flag kept in the address. */
export function useCalendarParams() {
  const [params, setParams] = useSearchParams<Params>();
  const choice = (): FilterChoice => ({
    institutionId: idOf(one(params.institution)), locationId: idOf(one(params.location)),
    qualificationId: idOf(one(params.qualification)), physicianId: idOf(one(params.physician)), serviceId: idOf(one(params.service)),
  });
  const weekStart = () => {
    const w = one(params.week);
    return isYmd(w) ? mondayOf(w) : mondayOf(todayIn(browserTimeZone()));
  };
  const shown = () => one(params.show) === '1';
  const setChoice = (next: FilterChoice, extra: Partial<Params> = {}) => {
    const out: Partial<Params> = { ...extra };
    for (const [key, param] of Object.entries(PARAM_OF) as [keyof FilterChoice, keyof Params][]) {
      out[param] = next[key] === null ? undefined : String(next[key]);
    }
    setParams(out, { replace: true });
  };
  const setWeek = (week: string) => setParams({ week }, { replace: true });
  return { choice, weekStart, shown, setChoice, setWeek };
}

const FIELDS: { key: keyof FilterChoice; list: keyof FilterOptions; label: MessageKey }[] = [
  { key: 'institutionId', list: 'institutions', label: 'booking.filter.institution' },
  { key: 'locationId', list: 'locations', label: 'booking.filter.location' },
  { key: 'qualificationId', list: 'qualifications', label: 'booking.filter.qualification' },
  { key: 'physicianId', list: 'physicians', label: 'booking.filter.physician' },
  { key: 'serviceId', list: 'services', label: 'booking.filter.service' },
];

export function CalendarFilters(props: {
  options: FilterOptions;
  choice: FilterChoice;
  onChange: (choice: FilterChoice) => void;
  /** "Show calendars" (the booker's page); without it every change applies at once. */
  onShow?: () => void;
  idPrefix: string;
}) {
  const effective = () => effectiveChoice(props.options, props.choice);
  const narrowed = () => narrowOptions(props.options, props.choice);
  const many = () => props.options.institutions.length > 1;
  const institutionName = (id: number) => props.options.institutions.find((i) => i.id === id)?.name ?? '';
  const optionLabel = (item: { name: string; institutionId?: number }, list: keyof FilterOptions) =>
    many() && list !== 'institutions' && effective().institutionId === null && item.institutionId !== undefined
      ? `${item.name} (${institutionName(item.institutionId)})` : item.name;

  return (
    <form class="filters booking-filters" role="search" aria-label={t('booking.filter.label')}
      onSubmit={(e) => { e.preventDefault(); props.onShow?.(); }}>
      <For each={FIELDS}>
        {(f) => (
          <Show when={f.key !== 'institutionId' || many()}>
            <div class="field">
              <label for={`${props.idPrefix}-${f.key}`}>{t(f.label)}</label>
              <select id={`${props.idPrefix}-${f.key}`}
                onChange={(e) => props.onChange({ ...effective(), [f.key]: idOf(e.currentTarget.value) })}>
                <option value="" selected={effective()[f.key] === null}>{t('booking.filter.all')}</option>
                <For each={narrowed()[f.list] as { id: number; name: string; institutionId?: number }[]}>
                  {(item) => <option value={item.id} selected={effective()[f.key] === item.id}>{optionLabel(item, f.list)}</option>}
                </For>
              </select>
            </div>
          </Show>
        )}
      </For>
      <Show when={props.onShow}>
        <div class="filters-submit">
          <button type="submit" class="button button-primary">{t('booking.showCalendars')}</button>
        </div>
      </Show>
    </form>
  );
}
