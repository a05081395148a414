/**
 * One commission statement, printable: the institution and the partner (company data), the month, the status, a line
 * per booking (date and time on the institution's clock, service, location, price, payment location, commission rule,
 * commission, what each side owes) and the adjustment lines with their reason, the totals per currency and the net in
 * one direction.
 *
 * - /settlements/statements/:id — the institution's view (its administrators): Issue (a draft; confirmed, since an
 *   issued statement never changes), Mark paid (an issued one, with the payment date), CSV, Print.
 * - /settlement-statements/:id — the address of the "statement issued" email: an administrator of the statement's
 *   institution is taken to the institution's view, everyone else sees the partner's view (issued and paid statements
 *   of its own organisation only), with CSV and Print.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { A, Navigate, useParams } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { useCurrentUser } from '../../auth';
import { formatCalendarDate, formatDateTime, t } from '../../i18n';
import { errorCode, toUiError, trpc } from '../../trpc';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { fieldAria } from '../../ui/field';
import { isInstitutionAdmin } from '../../ui/institution-admin';
import { ForbiddenPage, NotFoundPage, PageHeader, usePageTitle } from '../../ui/page';
import { Loading, Notice, QueryErrorState } from '../../ui/states';
import { countryName, paymentLocationLabel } from '../partners/partner-format';
import {
  downloadStatementCsv, useInvalidateSettlements, usePartnerStatements, useStatement, type StatementDetail, type StatementLine, type StatementSide,
} from './settlement-api';
import {
  adjustmentNoteText, commissionRuleText, formatMoney, formatMonth, localDateIn, paidOnProblem, todayIn,
} from './settlement-format';
import { StatementStatusBadge, StatementTotals } from './settlement-parts';

const parseId = (value: string | undefined) => (value && /^\d{1,10}$/.test(value) ? Number(value) : null);

/** /settlements/statements/:id — institution administrators only. */
export function InstitutionStatementPage() {
  const me = useCurrentUser();
  const params = useParams<{ id: string }>();
  const id = () => parseId(params.id);
  return (
    <Show when={isInstitutionAdmin(me())} fallback={<ForbiddenPage title={() => t('settlements.statement.title')} />}>
      <Show when={id()} fallback={<NotFoundPage />}>
        {(statementId) => <StatementLoader side="institution" statementId={statementId()} />}
      </Show>
    </Show>
  );
}

/**
 * /settlement-statements/:id — the email's link. A partner organisation's administrator sees the partner's view. An
 * institution's administrator sees the institution's view, unless the statement is one another institution issued to
 * it as that institution's partner: its organisation's partner statements decide, so no refused request is made (a
 * refused one would land in the audit log as a denial).
 */
export function StatementLinkPage() {
  const me = useCurrentUser();
  const params = useParams<{ id: string }>();
  const id = () => parseId(params.id);
  const institutionAdmin = () => isInstitutionAdmin(me());
  const received = usePartnerStatements(() => institutionAdmin());
  const side = (): StatementSide | null => {
    if (!institutionAdmin()) return 'partner';
    if (received.isPending) return null;
    return received.data?.some((s) => s.id === id()) ? 'partner' : 'institution';
  };
  return (
    <Show when={me().role === 'admin'} fallback={<ForbiddenPage title={() => t('settlements.statement.title')} />}>
      <Show when={id()} fallback={<NotFoundPage />}>
        {(statementId) => (
          <Show when={side()} keyed fallback={<Loading />}>
            {(s) => (s === 'institution'
              // The institution's own statement: its canonical address, under Commission settlement.
              ? <Navigate href={`/settlements/statements/${statementId()}`} />
              : <StatementLoader side={s} statementId={statementId()} />)}
          </Show>
        )}
      </Show>
    </Show>
  );
}

function StatementLoader(props: { side: StatementSide; statementId: number }) {
  const statement = useStatement(() => props.side, () => props.statementId);
  usePageTitle(() => (statement.data ? t('settlements.statement.titleOf', { partner: statement.data.partner.name, month: formatMonth(statement.data.statement.month) }) : t('settlements.statement.title')));
  const notFound = () => statement.isError && errorCode(statement.error) === 'NOT_FOUND';
  return (
    <Switch>
      <Match when={statement.data}>{(d) => <StatementView side={props.side} detail={d()} />}</Match>
      <Match when={notFound()}>
        <section aria-labelledby="page-title">
          <PageHeader title={t('settlements.statement.title')} />
          <Notice tone="error">{t('settlement.statement_not_found')}</Notice>
          <p><A href={props.side === 'institution' ? '/settlements' : '/settlement-statements'}>
            {props.side === 'institution' ? t('settlements.statement.back') : t('settlements.statement.backPartner')}
          </A></p>
        </section>
      </Match>
      <Match when={statement.isError}>
        <section aria-labelledby="page-title">
          <PageHeader title={t('settlements.statement.title')} />
          <QueryErrorState message={t('error.load_failed')} query={statement} />
        </section>
      </Match>
      <Match when={true}><Loading /></Match>
    </Switch>
  );
}

function CompanyCard(props: { heading: string; company: StatementDetail['institution'] | StatementDetail['partner']; contact?: StatementDetail['partner'] }) {
  return (
    <section class="card detail-card statement-party" aria-label={props.heading}>
      <h2>{props.heading}</h2>
      <p class="statement-party-name">{props.company.name}</p>
      <dl class="detail-list">
        <div><dt>{t('settlements.company.taxNumber')}</dt><dd>{props.company.taxNumber ?? '—'}</dd></div>
        <div><dt>{t('settlements.company.registrationNumber')}</dt><dd>{props.company.registrationNumber ?? '—'}</dd></div>
        <div><dt>{t('settlements.company.address')}</dt><dd>{[props.company.address, props.company.country ? countryName(props.company.country) : null].filter(Boolean).join(', ') || '—'}</dd></div>
        <Show when={props.contact}>
          {(c) => (
            <div><dt>{t('settlements.company.contact')}</dt>
              <dd>{[c().contactName, c().contactEmail, c().contactPhone].filter(Boolean).join(' · ') || '—'}</dd></div>
          )}
        </Show>
      </dl>
    </section>
  );
}

function StatementView(props: { side: StatementSide; detail: StatementDetail }) {
  const d = () => props.detail;
  const s = () => d().statement;
  const zone = () => d().institution.timeZone;
  const invalidate = useInvalidateSettlements();
  const [confirmIssue, setConfirmIssue] = createSignal(false);
  const [notice, setNotice] = createSignal<(() => string) | null>(null);
  const [csvError, setCsvError] = createSignal<unknown>(null);
  const [csvBusy, setCsvBusy] = createSignal(false);
  const bookingLines = createMemo(() => d().lines.filter((l) => l.kind === 'booking'));
  const adjustmentLines = createMemo(() => d().lines.filter((l) => l.kind === 'adjustment'));
  let issueButton: HTMLButtonElement | undefined;

  const issue = useMutation(() => ({
    mutationFn: () => trpc.settlements.issue.mutate({ statementId: s().id }),
    onSuccess: (result) => {
      setConfirmIssue(false);
      setNotice(() => () => t('settlements.issue.done', { count: result.emails }));
      void invalidate();
    },
    // Someone else may have issued it meanwhile (settlement.already_issued): show the statement as it is now.
    onError: () => void invalidate(),
  }));

  const csv = async () => {
    setCsvError(null);
    setCsvBusy(true);
    try {
      await downloadStatementCsv(props.side, s().id);
    } catch (err) {
      setCsvError(err);
    } finally {
      setCsvBusy(false);
    }
  };

  const title = () => t('settlements.statement.heading', { partner: d().partner.name, month: formatMonth(s().month) });

  return (
    <section aria-labelledby="page-title" class="statement-page">
      <p class="back-link no-print">
        <A href={props.side === 'institution' ? `/settlements?month=${s().month}` : '/settlement-statements'}>
          {props.side === 'institution' ? t('settlements.statement.back') : t('settlements.statement.backPartner')}
        </A>
      </p>
      <PageHeader title={title()} actions={
        <div class="statement-actions no-print">
          <Show when={props.side === 'institution' && s().status === 'draft'}>
            <button type="button" class="button button-primary" ref={issueButton} onClick={() => { issue.reset(); setConfirmIssue(true); }}>
              {t('settlements.issue.button')}
            </button>
          </Show>
          <button type="button" class="button" onClick={() => void csv()} disabled={csvBusy()} aria-busy={csvBusy()}>
            {csvBusy() ? t('settlements.csv.busy') : t('settlements.csv.button')}
          </button>
          <button type="button" class="button" onClick={() => window.print()}>{t('settlements.print.button')}</button>
        </div>
      } />

      <Show when={notice()}>{(n) => <div class="no-print"><Notice tone="success" onDismiss={() => setNotice(null)}>{n()()}</Notice></div>}</Show>
      <Show when={csvError()}>{(err) => <div class="no-print"><Notice tone="error" onDismiss={() => setCsvError(null)}>{toUiError(err()).message}</Notice></div>}</Show>

      <div class="statement-meta">
        <dl class="detail-list">
          <div><dt>{t('settlements.statement.number')}</dt><dd>{s().id}</dd></div>
          <div><dt>{t('settlements.statement.month')}</dt><dd>{formatMonth(s().month)}</dd></div>
          <div><dt>{t('settlements.col.status')}</dt><dd><StatementStatusBadge status={s().status} /></dd></div>
          <Show when={s().issuedAt}>
            {(at) => <div><dt>{t('settlements.statement.issued')}</dt><dd>{s().issuedByName ? t('settlements.statement.atBy', { when: formatDateTime(at(), zone()), who: s().issuedByName! }) : formatDateTime(at(), zone())}</dd></div>}
          </Show>
          <Show when={s().paidOn}>
            {(on) => <div><dt>{t('settlements.statement.paid')}</dt><dd>{s().paidByName ? t('settlements.statement.onBy', { date: formatCalendarDate(on()), who: s().paidByName! }) : formatCalendarDate(on())}</dd></div>}
          </Show>
          <Show when={s().status === 'draft'}>
            <div><dt>{t('settlements.statement.built')}</dt><dd>{formatDateTime(s().builtAt, zone())}</dd></div>
          </Show>
        </dl>
        <Show when={s().status === 'draft'}><p class="field-hint statement-draft-note">{t('settlements.statement.draftNote')}</p></Show>
      </div>

      <div class="detail-grid statement-parties">
        <CompanyCard heading={t('settlements.statement.institution')} company={d().institution} />
        <CompanyCard heading={t('settlements.statement.partner')} company={d().partner} contact={d().partner} />
      </div>

      <Show when={props.side === 'institution' && s().status === 'issued'}>
        <MarkPaidForm statementId={s().id} zone={zone()} issuedAt={s().issuedAt}
          onPaid={(paidOn) => { setNotice(() => () => t('settlements.paid.done', { date: formatCalendarDate(paidOn) })); void invalidate(); }} />
      </Show>

      <h2 class="report-heading">{t('settlements.totals.heading')}</h2>
      <Show when={d().totals.length > 0} fallback={<p class="muted">{t('settlements.statement.noLines')}</p>}>
        <StatementTotals totals={d().totals} institutionName={d().institution.name} partnerName={d().partner.name} />
      </Show>

      <h2 class="report-heading">{t('settlements.lines.heading')}</h2>
      <p class="field-hint">{t('settlements.lines.hint', { zone: zone() })}</p>
      <LinesTable caption={t('settlements.lines.heading')} lines={bookingLines()} />

      <Show when={adjustmentLines().length > 0}>
        <h2 class="report-heading">{t('settlements.adjustments.heading')}</h2>
        <p class="field-hint">{t('settlements.adjustments.hint')}</p>
        <LinesTable caption={t('settlements.adjustments.heading')} lines={adjustmentLines()} adjustments />
      </Show>

      <Show when={confirmIssue()}>
        <ConfirmDialog id="issue-statement" title={t('settlements.issue.title')}
          confirmLabel={t('settlements.issue.confirm')} pendingLabel={t('settlements.issue.pending')}
          pending={issue.isPending} error={issue.error}
          onConfirm={() => issue.mutate()} onClose={() => setConfirmIssue(false)} returnFocus={() => issueButton}>
          <p>{t('settlements.issue.text', { partner: d().partner.name, month: formatMonth(s().month) })}</p>
          <p>{t('settlements.issue.immutable')}</p>
        </ConfirmDialog>
      </Show>
    </section>
  );
}

function LinesTable(props: { caption: string; lines: StatementLine[]; adjustments?: boolean }) {
  return (
    <Show when={props.lines.length > 0} fallback={<p class="muted">{t('settlements.lines.empty')}</p>}>
      <div class="table-wrap statement-lines-wrap" role="region" aria-label={props.caption} tabindex="0">
        <table class="table table-compact statement-lines">
          <caption class="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('settlements.line.when')}</th>
              <th scope="col">{t('settlements.line.service')}</th>
              <th scope="col">{t('settlements.line.location')}</th>
              <th scope="col" class="cell-number">{t('settlements.line.price')}</th>
              <th scope="col">{t('settlements.line.paymentLocation')}</th>
              <th scope="col">{t('settlements.line.rule')}</th>
              <th scope="col" class="cell-number">{t('settlements.line.commission')}</th>
              <th scope="col" class="cell-number">{t('settlements.line.institutionOwes')}</th>
              <th scope="col" class="cell-number">{t('settlements.line.partnerOwes')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.lines}>
              {(l) => (
                <tr classList={{ 'line-adjustment': l.kind === 'adjustment' }}>
                  <th scope="row" class="line-when-cell">
                    <span class="line-when">{formatCalendarDate(l.localDate)} {l.localTime}</span>
                    <Show when={l.kind === 'adjustment'}>
                      <span class="cell-note"><span class="badge badge-adjustment">{t('settlements.line.adjustment')}</span> {adjustmentNoteText(l.note)}</span>
                    </Show>
                    <span class="cell-note">{t('settlements.line.booking', { id: l.bookingId })}</span>
                  </th>
                  <td>{l.serviceName}</td>
                  <td>{l.locationName ?? '—'}</td>
                  <td class="cell-number">{formatMoney(l.priceMinor, l.currency)}</td>
                  <td>{paymentLocationLabel(l.paymentLocation)}</td>
                  <td>{commissionRuleText(l.commissionType, l.commissionValue, l.commissionCurrency)}</td>
                  <td class="cell-number">{formatMoney(l.commissionMinor, l.commissionCurrency)}</td>
                  <td class="cell-number">{formatMoney(l.institutionOwesMinor, l.commissionCurrency)}</td>
                  <td class="cell-number">{formatMoney(l.partnerOwesMinor, l.currency)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}

/** Records the payment of an issued statement: a date, not in the future and not before the issue day. */
function MarkPaidForm(props: { statementId: number; zone: string; issuedAt: string | null; onPaid: (paidOn: string) => void }) {
  const invalidate = useInvalidateSettlements();
  const today = () => todayIn(props.zone);
  const issuedOn = () => (props.issuedAt ? localDateIn(props.issuedAt, props.zone) : null);
  const [paidOn, setPaidOn] = createSignal(today());
  const [problem, setProblem] = createSignal<string | null>(null);
  const markPaid = useMutation(() => ({
    mutationFn: (date: string) => trpc.settlements.markPaid.mutate({ statementId: props.statementId, paidOn: date }),
    onSuccess: (result) => props.onPaid(result.paidOn),
    onError: () => void invalidate(),
  }));
  const serverError = () => (markPaid.error ? toUiError(markPaid.error) : null);
  const fieldError = () => problem() ?? serverError()?.fieldErrors.paidOn ?? (serverError()?.key?.startsWith('settlement.paid') ? serverError()!.message : undefined);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    markPaid.reset();
    const p = paidOnProblem(paidOn(), { today: today(), issuedOn: issuedOn() });
    if (p) {
      setProblem(t(p));
      return;
    }
    setProblem(null);
    markPaid.mutate(paidOn());
  };

  return (
    <form class="card detail-card mark-paid no-print" onSubmit={submit} novalidate aria-labelledby="mark-paid-title">
      <h2 id="mark-paid-title">{t('settlements.paid.title')}</h2>
      <p class="field-hint">{t('settlements.paid.hint')}</p>
      <Show when={serverError() && !fieldError()}>{(_) => <Notice tone="error">{serverError()!.message}</Notice>}</Show>
      <div class="payment-form">
        <div class="field" classList={{ 'field-invalid': !!fieldError() }}>
          <label for="paid-on">{t('settlements.paid.date')}</label>
          <input type="date" {...fieldAria('paid-on', undefined, fieldError())} value={paidOn()} max={today()} min={issuedOn() ?? undefined}
            onInput={(e) => { setPaidOn(e.currentTarget.value); setProblem(null); }} />
          <Show when={fieldError()}><p id="paid-on-error" class="field-error">{fieldError()}</p></Show>
        </div>
        <button type="submit" class="button button-primary" disabled={markPaid.isPending} aria-busy={markPaid.isPending}>
          {markPaid.isPending ? t('common.saving') : t('settlements.paid.button')}
        </button>
      </div>
    </form>
  );
}
