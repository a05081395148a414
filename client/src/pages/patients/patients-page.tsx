/**
 * Patients (/patients), for an institution's administrators: patient data rights. Find a patient with the booking
 * search (bookings.searchPatients: at least 3 characters, at most 10 matches, never a list), open the patient's panel
 * (patients.get) and either export everything stored about the patient as one JSON file (patients.export, saved as a
 * Blob download) or erase the patient (patients.erase) after a confirmation that says exactly what happens and asks
 * for the patient's name to be typed. Erasure is offered only when no active booking is still ahead; the panel says
 * why not otherwise. Times in the location's (bookings) or the institution's (entered/erased) time zone.
 */
import { createSignal, For, Show } from 'solid-js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/solid-query';
import { formatCalendarDate, formatDateTime, t } from '../../i18n';
import { toUiError, trpc, type RouterOutputs } from '../../trpc';
import { useCurrentUser } from '../../auth';
import { InstitutionAdminOnly } from '../../ui/institution-admin';
import { PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, Notice, QueryErrorState } from '../../ui/states';
import { Field, fieldAria } from '../../ui/field';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { downloadJson, nameMatches } from './patient-files';
import { createPatientQuery, PatientSearchResults } from './patient-search';

const PATIENTS_QUERY_KEY = ['patients'] as const;

type Details = RouterOutputs['patients']['get'];
type EraseResult = RouterOutputs['patients']['erase'];

export function PatientsPage() {
  const title = () => t('patientsPage.title');
  return (
    <InstitutionAdminOnly title={title}>
      <PatientRights title={title} />
    </InstitutionAdminOnly>
  );
}

function PatientRights(props: { title: () => string }) {
  usePageTitle(props.title);
  const [chosen, setChosen] = createSignal<number | null>(null);
  return (
    <section aria-labelledby="page-title" class="patients-page">
      <PageHeader title={props.title()} />
      <p class="lead">{t('patientsPage.intro')}</p>
      <div class="patients-layout">
        <PatientFinder chosen={chosen()} onChoose={setChosen} />
        <div class="patients-panel-slot">
          <Show when={chosen()} keyed fallback={<EmptyState>{t('patientsPage.nothingChosen')}</EmptyState>}>
            {(id) => <PatientPanel patientId={id} />}
          </Show>
        </div>
      </div>
    </section>
  );
}

function PatientFinder(props: { chosen: number | null; onChoose: (id: number) => void }) {
  const me = useCurrentUser();
  const { text, setText, query, searchable } = createPatientQuery();
  const search = useQuery(() => ({
    queryKey: [...PATIENTS_QUERY_KEY, 'search', query()],
    queryFn: () => trpc.bookings.searchPatients.query({ institutionId: me().organisation.id, query: query() }),
    enabled: searchable(),
    staleTime: 0,
    retry: false,
  }));

  return (
    <div class="card patients-finder" role="search">
      <Field id="patients-query" label={t('patientsPage.search')} hint={t('patientsPage.searchHint')}>
        <input {...fieldAria('patients-query', t('patientsPage.searchHint'))} type="search" autocomplete="off" maxLength={100}
          value={text()} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <PatientSearchResults query={query()} search={search} idle={<p class="muted">{t('patientsPage.empty')}</p>}
        noResults={t('patientsPage.noResults')} resultCount={(count) => t('patientsPage.resultCount', { count })}
        list={{ class: 'patients-hits', label: t('patientsPage.results') }}>
        {(p) => (
          <li>
            <button type="button" class="patients-hit" aria-pressed={props.chosen === p.id ? 'true' : 'false'}
              onClick={() => props.onChoose(p.id)}>
              <span class="patients-hit-name">{p.name}</span>
              <span class="muted">
                {t('booking.patient.born', { year: p.birthYear })}
                <Show when={p.nationalIdMasked}> · {p.nationalIdMasked}</Show>
              </span>
            </button>
          </li>
        )}
      </PatientSearchResults>
    </div>
  );
}

function PatientPanel(props: { patientId: number }) {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [exported, setExported] = createSignal<string | null>(null);
  const [erased, setErased] = createSignal<EraseResult | null>(null);
  const [confirming, setConfirming] = createSignal(false);
  let eraseButton: HTMLButtonElement | undefined;

  const details = useQuery(() => ({
    queryKey: [...PATIENTS_QUERY_KEY, 'get', props.patientId],
    queryFn: () => trpc.patients.get.query({ patientId: props.patientId }),
    staleTime: 0,
  }));
  const exportData = useMutation(() => ({
    mutationFn: () => trpc.patients.export.mutate({ patientId: props.patientId }),
    onSuccess: (r) => { downloadJson(r.fileName, r.document); setExported(r.fileName); },
  }));
  const erase = useMutation(() => ({
    mutationFn: () => trpc.patients.erase.mutate({ patientId: props.patientId, confirm: true }),
    onSuccess: async (r) => {
      setErased(r);
      setConfirming(false);
      setExported(null);
      await queryClient.invalidateQueries({ queryKey: PATIENTS_QUERY_KEY });
    },
  }));
  const zone = () => me().organisation.timeZone;

  return (
    <div class="card patient-panel" aria-labelledby="patient-panel-title">
      <Show when={details.data} fallback={
        <Show when={details.isError} fallback={<Loading label={t('patientsPage.loading')} />}>
          <QueryErrorState message={t('patientsPage.loadError')} query={details} />
        </Show>
      }>
        {(d) => (
          <>
            <div class="panel-header">
              <h2 id="patient-panel-title">
                {d().name}
                <Show when={d().erasedAt}> <span class="badge badge-deactivated">{t('patientsPage.erasedBadge')}</span></Show>
              </h2>
            </div>
            <Show when={erased()}>
              {(r) => (
                <Notice tone={r().alreadyErased ? 'info' : 'success'}>
                  {r().alreadyErased ? t('patientsPage.alreadyErased')
                    : t('patientsPage.erasedDone', { name: r().name, count: r().bookingsKept, emails: r().emailsStopped })}
                </Notice>
              )}
            </Show>
            <Show when={d().erasedAt && !erased()}>
              <Notice tone="info">{t('patientsPage.erasedOn', { date: formatDateTime(d().erasedAt!, zone()), name: d().erasedByName ?? '—' })}</Notice>
            </Show>
            <PatientFacts d={d()} zone={zone()} />
            <div class="patient-actions">
              <div class="patient-action">
                <button type="button" class="button" disabled={exportData.isPending} aria-busy={exportData.isPending}
                  onClick={() => { setExported(null); exportData.mutate(); }}>
                  {exportData.isPending ? t('patientsPage.exporting') : t('patientsPage.export')}
                </button>
                <p class="field-hint">{t('patientsPage.exportHint')}</p>
                <div aria-live="polite">
                  <Show when={exported()}>{(file) => <Notice tone="success">{t('patientsPage.exported', { file: file() })}</Notice>}</Show>
                </div>
                <Show when={exportData.isError}><Notice tone="error">{toUiError(exportData.error).message}</Notice></Show>
              </div>
              <Show when={!d().erasedAt}>
                <div class="patient-action">
                  <button type="button" class="button button-danger-quiet" ref={eraseButton}
                    disabled={d().activeUpcoming.length > 0} aria-describedby={d().activeUpcoming.length > 0 ? 'patient-erase-blocked' : undefined}
                    onClick={() => { erase.reset(); setConfirming(true); }}>
                    {t('patientsPage.erase')}
                  </button>
                  <Show when={d().activeUpcoming.length > 0}>
                    <p id="patient-erase-blocked" class="field-hint">{t('patientsPage.eraseBlocked', { count: d().activeUpcoming.length })}</p>
                  </Show>
                </div>
              </Show>
            </div>
            <Show when={confirming()}>
              <EraseDialog d={d()} pending={erase.isPending} error={erase.error} onConfirm={() => erase.mutate()}
                onClose={() => setConfirming(false)} returnFocus={() => eraseButton} />
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}

function PatientFacts(props: { d: Details; zone: string }) {
  const d = () => props.d;
  const notGiven = () => <span class="muted">{t('patientsPage.notGiven')}</span>;
  const enteredBy = () => {
    const organisation = d().enteredByOrganisation ?? t('patientsPage.enteredByPartner');
    const date = formatDateTime(d().enteredAt, props.zone);
    return d().enteredByUser ? t('patientsPage.enteredByValue', { organisation, user: d().enteredByUser!, date })
      : t('patientsPage.enteredByOrgOnly', { organisation, date });
  };
  return (
    <dl class="detail-list patient-facts">
      <div><dt>{t('booking.patient.birthDate')}</dt><dd>{d().birthDate ? formatCalendarDate(d().birthDate!) : notGiven()}</dd></div>
      <div><dt>{t('booking.patient.nationalId')}</dt><dd>{d().nationalId ?? notGiven()}</dd></div>
      <div><dt>{t('booking.patient.phone')}</dt><dd>{d().phone ?? notGiven()}</dd></div>
      <div><dt>{t('booking.patient.email')}</dt><dd>{d().email ?? notGiven()}</dd></div>
      <div><dt>{t('patientsPage.enteredBy')}</dt><dd>{enteredBy()}</dd></div>
      <div><dt>{t('patientsPage.bookings')}</dt><dd>{d().bookingsTotal}</dd></div>
      <div>
        <dt>{t('patientsPage.activeUpcoming')}</dt>
        <dd>
          <Show when={d().activeUpcoming.length > 0} fallback={t('patientsPage.none')}>
            <ul class="plain-list">
              <For each={d().activeUpcoming}>
                {(b) => <li><a href={`/bookings/${b.id}`}>{formatDateTime(b.startsAt, b.timeZone)}</a> · {b.serviceName} · {b.locationName}</li>}
              </For>
            </ul>
          </Show>
        </dd>
      </div>
    </dl>
  );
}

function EraseDialog(props: {
  d: Details; pending: boolean; error: unknown; onConfirm: () => void; onClose: () => void; returnFocus: () => HTMLElement | undefined;
}) {
  const [typed, setTyped] = createSignal('');
  const matches = () => nameMatches(typed(), props.d.name);
  return (
    <ConfirmDialog id="erase-patient" title={t('patientsPage.eraseTitle', { name: props.d.name })} danger
      confirmLabel={t('patientsPage.eraseConfirm')} pendingLabel={t('patientsPage.erasing')} pending={props.pending} error={props.error}
      confirmDisabled={!matches()} onConfirm={() => { if (matches()) props.onConfirm(); }} onClose={props.onClose} returnFocus={props.returnFocus}>
      <p>{t('patientsPage.eraseWhat')}</p>
      <ul>
        <li>{t('patientsPage.eraseName', { id: props.d.id })}</li>
        <li>{t('patientsPage.eraseKept', { count: props.d.bookingsTotal })}</li>
        <li>{t('patientsPage.eraseEmails')}</li>
        <li><strong>{t('patientsPage.eraseSearch')}</strong></li>
      </ul>
      <Field id="erase-patient-name" label={t('patientsPage.eraseConfirmLabel')} hint={t('patientsPage.eraseConfirmHint', { name: props.d.name })}>
        <input {...fieldAria('erase-patient-name', t('patientsPage.eraseConfirmHint', { name: props.d.name }))} type="text" autocomplete="off"
          value={typed()} onInput={(e) => setTyped(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && matches() && !props.pending) props.onConfirm(); }} />
      </Field>
    </ConfirmDialog>
  );
}
