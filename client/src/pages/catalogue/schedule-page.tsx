/**
 * A physician's working hours (/catalogue/physicians/:id/schedule): the weekly rules (weekday, start–end in the
 * location's local time, location and its time zone, every/odd/even weeks, validity period) with Add / Edit / Delete,
 * and the date exceptions (absence or extra hours, at one location or all, whole day or given times) with Add /
 * Delete. Institution administrators only.
 *
 * No change ever moves or deletes a booking: when one would leave future bookings outside working hours, the server
 * lists them and the change is applied only after the user confirms (see outside-hours.tsx).
 */
import { createMemo, createSignal, Match, Show, Switch } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import { formatCalendarDate, t, tCount } from '../../i18n';
import { errorKey, toUiError, trpc } from '../../trpc';
import { InstitutionAdminOnly } from '../../ui/institution-admin';
import { NotFoundPage, PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, ErrorState, Loading, Notice } from '../../ui/states';
import {
  parseId, refreshCatalogue, useCatalogueOverview, useSchedule, type CatalogueLocation, type ScheduleExceptionRow,
  type ScheduleRuleRow,
} from './catalogue-data';
import { ExceptionForm } from './exception-form';
import { EditButton, ListPanel } from './list-panel';
import { DeleteScheduleItemDialog, type ScheduleChangeResult } from './outside-hours';
import { RuleForm } from './rule-form';
import { exceptionKindLabel, parityLabel, timeRange, validityText, weekdayName } from './schedule-format';

type Dialog =
  | { kind: 'rule'; rule?: ScheduleRuleRow }
  | { kind: 'deleteRule'; rule: ScheduleRuleRow }
  | { kind: 'exception' }
  | { kind: 'deleteException'; exception: ScheduleExceptionRow };

export function PhysicianSchedulePage() {
  const params = useParams<{ id: string }>();
  const id = () => parseId(params.id);
  return (
    <InstitutionAdminOnly title={() => t('nav.catalogue')}>
      <Switch fallback={<NotFoundPage />}>
        <Match when={id()} keyed>
          {(physicianId) => <PhysicianSchedule id={physicianId} />}
        </Match>
      </Switch>
    </InstitutionAdminOnly>
  );
}

function PhysicianSchedule(props: { id: number }) {
  const overview = useCatalogueOverview();
  const schedule = useSchedule(() => props.id);
  const physician = createMemo(() => overview.data?.physicians.find((p) => p.id === props.id));
  const title = () => {
    const p = physician();
    return p ? t('schedule.title', { name: p.name }) : t('schedule.titleGeneric');
  };
  usePageTitle(title);

  const [dialog, setDialog] = createSignal<Dialog | null>(null);
  const [notice, setNotice] = createSignal<(() => string) | null>(null);

  const locationById = createMemo(() => new Map((overview.data?.locations ?? []).map((l) => [l.id, l])));
  /** The locations where the physician works: the only ones a rule or exception can be at. */
  const physicianLocations = createMemo((): CatalogueLocation[] => {
    const ids = physician()?.locationIds ?? [];
    return (overview.data?.locations ?? []).filter((l) => ids.includes(l.id));
  });
  const notFound = () => errorKey(schedule.error) === 'catalogue.physician_not_found'
    || (overview.data !== undefined && physician() === undefined);

  const open = (next: Dialog) => {
    setNotice(null);
    setDialog(next);
  };
  const close = () => setDialog(null);
  const done = (key: 'schedule.notice.ruleSaved' | 'schedule.notice.ruleDeleted' | 'schedule.notice.exceptionSaved' | 'schedule.notice.exceptionDeleted') =>
    (result: ScheduleChangeResult) => {
      const outside = result.bookingsOutsideHours.length;
      setNotice(() => () => (outside > 0 ? `${t(key)} ${tCount('schedule.notice.leftOutside', outside)}` : t(key)));
    };
  const deleted = (key: 'schedule.notice.ruleDeleted' | 'schedule.notice.exceptionDeleted') => (result: ScheduleChangeResult) => {
    void refreshCatalogue();
    done(key)(result);
  };
  const focusSection = (id: string) => () => document.getElementById(id);

  const locationCell = (locationId: number | null) => {
    if (locationId === null) return <span>{t('schedule.allLocations')}</span>;
    const l = locationById().get(locationId);
    return (
      <>
        <span class="location-name">{l?.name ?? `#${locationId}`}</span>
        <Show when={l}>{(loc) => <span class="cell-note">{t('schedule.timeZoneNote', { timeZone: loc().timeZone })}</span>}</Show>
      </>
    );
  };
  const ruleSummary = (r: ScheduleRuleRow) =>
    `${weekdayName(r.weekday)} ${timeRange(r.startTime, r.endTime)}, ${locationById().get(r.locationId)?.name ?? ''}`;
  const exceptionSummary = (e: ScheduleExceptionRow) =>
    `${formatCalendarDate(e.date)}, ${exceptionKindLabel(e.kind)}, ${timeRange(e.startTime, e.endTime)}`;

  return (
    <section aria-labelledby="page-title" class="schedule-page">
      <p class="back-link"><A href="/catalogue?tab=physicians">{t('schedule.back')}</A></p>
      <Switch>
        <Match when={overview.isPending || (schedule.isPending && !schedule.isError)}>
          <PageHeader title={title()} />
          <Loading />
        </Match>
        <Match when={notFound()}>
          <PageHeader title={t('schedule.titleGeneric')} />
          <EmptyState>{t('catalogue.physician_not_found')}</EmptyState>
        </Match>
        <Match when={(overview.isError && !overview.data) || (schedule.isError && !schedule.data)}>
          <PageHeader title={title()} />
          <ErrorState message={t('schedule.loadError')} detail={toUiError(schedule.error ?? overview.error).message}
            onRetry={() => { void overview.refetch(); void schedule.refetch(); }}
            retrying={overview.isFetching || schedule.isFetching} />
        </Match>
        <Match when={schedule.data}>
          {(data) => (
            <>
              <PageHeader title={title()} />
              <p class="lead">{t('schedule.intro')}</p>

              <Show when={notice()}>
                {(text) => <Notice tone="success" onDismiss={() => setNotice(null)}>{text()()}</Notice>}
              </Show>

              <section class="schedule-section" aria-labelledby="rules-title">
                <ListPanel titleId="rules-title" title={t('schedule.rules')} addLabel={t('schedule.rule.add')}
                  onAdd={() => open({ kind: 'rule' })} addDisabled={physicianLocations().length === 0}
                  columns={['schedule.form.weekday', 'schedule.col.hours', 'schedule.form.location', 'schedule.form.repeat', 'schedule.col.valid']}
                  rows={data().rules} empty={t('schedule.rules.empty')}>
                  {(rule) => (
                    <tr data-rule-id={rule.id}>
                      <th scope="row">{weekdayName(rule.weekday)}</th>
                      <td class="cell-time">{timeRange(rule.startTime, rule.endTime)}</td>
                      <td>{locationCell(rule.locationId)}</td>
                      <td>{parityLabel(rule.weekParity)}</td>
                      <td>{validityText(rule.validFrom, rule.validTo)}</td>
                      <td>
                        <div class="row-actions">
                          <EditButton name={ruleSummary(rule)} onClick={() => open({ kind: 'rule', rule })} />
                          <DeleteButton name={ruleSummary(rule)} onClick={() => open({ kind: 'deleteRule', rule })} />
                        </div>
                      </td>
                    </tr>
                  )}
                </ListPanel>
              </section>

              <section class="schedule-section" aria-labelledby="exceptions-title">
                <ListPanel titleId="exceptions-title" title={t('schedule.exceptions')} addLabel={t('schedule.exception.add')}
                  onAdd={() => open({ kind: 'exception' })} addDisabled={physicianLocations().length === 0}
                  columns={['schedule.exception.date', 'schedule.exception.kind', 'schedule.form.location', 'schedule.col.hours']}
                  rows={data().exceptions} empty={t('schedule.exceptions.empty')}>
                  {(exception) => (
                    <tr data-exception-id={exception.id}>
                      <th scope="row">{formatCalendarDate(exception.date)}</th>
                      <td>
                        <span class={`badge badge-exception-${exception.kind}`}>{exceptionKindLabel(exception.kind)}</span>
                      </td>
                      <td>{locationCell(exception.locationId)}</td>
                      <td class="cell-time">{timeRange(exception.startTime, exception.endTime)}</td>
                      <td>
                        <DeleteButton name={exceptionSummary(exception)} onClick={() => open({ kind: 'deleteException', exception })} />
                      </td>
                    </tr>
                  )}
                </ListPanel>
              </section>
            </>
          )}
        </Match>
      </Switch>

      <Show when={dialog()} keyed>
        {(d) => {
          switch (d.kind) {
            case 'rule':
              return <RuleForm physicianId={props.id} rule={d.rule} locations={physicianLocations()}
                onClose={close} onSaved={done('schedule.notice.ruleSaved')} returnFocus={focusSection('rules-title')} />;
            case 'exception':
              return <ExceptionForm physicianId={props.id} locations={physicianLocations()}
                onClose={close} onSaved={done('schedule.notice.exceptionSaved')} returnFocus={focusSection('exceptions-title')} />;
            case 'deleteRule':
              return (
                <DeleteScheduleItemDialog id="delete-rule" title={t('schedule.rule.deleteTitle')}
                  run={(confirm) => trpc.catalogue.deleteRule.mutate({ id: d.rule.id, confirm })}
                  onDone={deleted('schedule.notice.ruleDeleted')} onClose={close} returnFocus={focusSection('rules-title')}>
                  <p>{t('schedule.rule.deleteText', { rule: ruleSummary(d.rule) })}</p>
                </DeleteScheduleItemDialog>
              );
            case 'deleteException':
              return (
                <DeleteScheduleItemDialog id="delete-exception" title={t('schedule.exception.deleteTitle')}
                  run={(confirm) => trpc.catalogue.deleteException.mutate({ id: d.exception.id, confirm })}
                  onDone={deleted('schedule.notice.exceptionDeleted')} onClose={close} returnFocus={focusSection('exceptions-title')}>
                  <p>{t('schedule.exception.deleteText', { exception: exceptionSummary(d.exception) })}</p>
                </DeleteScheduleItemDialog>
              );
          }
        }}
      </Show>
    </section>
  );
}

/** "Delete" whose accessible name also says what is deleted. */
function DeleteButton(props: { name: string; onClick: () => void }) {
  return (
    <button type="button" class="button button-small button-danger-quiet" onClick={() => props.onClick()}
      aria-label={t('schedule.deleteNamed', { name: props.name })}>
      {t('schedule.delete')}
    </button>
  );
}
