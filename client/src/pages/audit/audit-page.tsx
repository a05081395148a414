/**
 * Audit log (/audit): who did what to which object and when — the institution's own users and others acting on it
 * (a partner approving an invitation, the system expiring one). Filters: user, action, and a period whose inputs
 * are read in the organisation's time zone. Newest first, 50 at a time with "Load more" (the API's nextBeforeId).
 * Each entry reads in the user's language: the action's label, the object by name, and the changed fields as
 * before → after, formatted as on the forms (audit-format.ts). Institution administrators only.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/solid-query';
import { t, timeZone } from '../../i18n';
import { toUiError, trpc, type RouterInputs, type RouterOutputs } from '../../trpc';
import { InstitutionAdminOnly } from '../../ui/institution-admin';
import { PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, ErrorState, Loading, Notice } from '../../ui/states';
import { zonedLocalToIso } from '../../zoned-time';
import { actionOptionLabel, type AuditEntry } from './audit-format';
import { AuditEntriesTable, AuditEntryRow, LoadMoreButton } from './audit-entries';

type AuditInput = RouterInputs['audit']['list'];

const AUDIT_QUERY_KEY = ['audit'] as const;
const PERIOD_FIELDS = ['from', 'to'];

export function AuditPage() {
  const title = () => t('nav.audit');
  return (
    <InstitutionAdminOnly title={title}>
      <AuditLog title={title} />
    </InstitutionAdminOnly>
  );
}

function AuditLog(props: { title: () => string }) {
  usePageTitle(props.title);
  const [userId, setUserId] = createSignal('');
  const [action, setAction] = createSignal('');
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');

  const filters = useQuery(() => ({
    queryKey: [...AUDIT_QUERY_KEY, 'filters'],
    queryFn: () => trpc.audit.filters.query(),
    staleTime: 0,
  }));

  const input = createMemo((): AuditInput => ({
    userId: userId() ? Number(userId()) : undefined,
    action: action() || undefined,
    from: zonedLocalToIso(from(), timeZone()) ?? undefined,
    to: zonedLocalToIso(to(), timeZone()) ?? undefined,
  }));
  const filtered = () => userId() !== '' || action() !== '' || from() !== '' || to() !== '';

  const list = useInfiniteQuery(() => {
    const current = input();
    return {
      queryKey: [...AUDIT_QUERY_KEY, 'list', current],
      queryFn: ({ pageParam }: { pageParam: number | undefined }) => trpc.audit.list.query({ ...current, beforeId: pageParam }),
      initialPageParam: undefined as number | undefined,
      getNextPageParam: (last: RouterOutputs['audit']['list']) => last.nextBeforeId ?? undefined,
      staleTime: 0,
      // While new filters load, keep showing the previous entries instead of a spinner.
      placeholderData: keepPreviousData,
    };
  });

  const entries = createMemo((): AuditEntry[] => (list.data?.pages ?? []).flatMap((p) => p.entries));
  const entryIds = createMemo(() => entries().map((e) => e.id));
  const entryById = createMemo(() => new Map(entries().map((e) => [e.id, e])));
  const listError = () => (list.isError ? toUiError(list.error) : null);
  const periodError = (field: 'from' | 'to') => listError()?.fieldErrors[field];
  const isPeriodError = () => {
    const fields = Object.keys(listError()?.fieldErrors ?? {});
    return fields.length > 0 && fields.every((f) => PERIOD_FIELDS.includes(f));
  };

  let endNote: HTMLParagraphElement | undefined;
  const loadMore = async () => {
    if (list.isFetchingNextPage || !list.hasNextPage) return;
    await list.fetchNextPage();
    // The button disappears with the last page: keep the keyboard focus at the end of the list.
    if (!list.hasNextPage) setTimeout(() => endNote?.focus(), 0);
  };

  const clearFilters = () => {
    setUserId('');
    setAction('');
    setFrom('');
    setTo('');
    document.getElementById('audit-user')?.focus();
  };

  return (
    <section aria-labelledby="page-title" class="audit-page">
      <PageHeader title={props.title()} />
      <p class="lead">{t('audit.intro')}</p>

      <form class="filters audit-filters" role="search" aria-label={t('audit.filters')} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="audit-user">{t('audit.filter.user')}</label>
          <select id="audit-user" name="userId" value={userId()} onChange={(e) => setUserId(e.currentTarget.value)}>
            <option value="" selected={userId() === ''}>{t('audit.filter.allUsers')}</option>
            <For each={filters.data?.users ?? []}>
              {(u) => (
                <option value={String(u.id)} selected={userId() === String(u.id)}>
                  {t('audit.userOption', { name: u.name, organisation: u.organisation })}
                </option>
              )}
            </For>
          </select>
        </div>
        <div class="field">
          <label for="audit-action">{t('audit.filter.action')}</label>
          <select id="audit-action" name="action" value={action()} onChange={(e) => setAction(e.currentTarget.value)}>
            <option value="" selected={action() === ''}>{t('audit.filter.allActions')}</option>
            <For each={filters.data?.actions ?? []}>
              {(code) => <option value={code} selected={action() === code}>{actionOptionLabel(code)}</option>}
            </For>
          </select>
        </div>
        <div class="field" classList={{ 'field-invalid': !!periodError('from') }}>
          <label for="audit-from">{t('audit.filter.from')}</label>
          <input id="audit-from" type="datetime-local" name="from" value={from()}
            aria-describedby={['audit-period-hint', periodError('from') ? 'audit-from-error' : ''].filter(Boolean).join(' ')}
            aria-invalid={periodError('from') ? 'true' : undefined}
            onChange={(e) => setFrom(e.currentTarget.value)} />
          <Show when={periodError('from')}><p id="audit-from-error" class="field-error">{periodError('from')}</p></Show>
        </div>
        <div class="field" classList={{ 'field-invalid': !!periodError('to') }}>
          <label for="audit-to">{t('audit.filter.to')}</label>
          <input id="audit-to" type="datetime-local" name="to" value={to()}
            aria-describedby={['audit-period-hint', periodError('to') ? 'audit-to-error' : ''].filter(Boolean).join(' ')}
            aria-invalid={periodError('to') ? 'true' : undefined}
            onChange={(e) => setTo(e.currentTarget.value)} />
          <Show when={periodError('to')}><p id="audit-to-error" class="field-error">{periodError('to')}</p></Show>
        </div>
        <p id="audit-period-hint" class="field-hint audit-period-hint">{t('audit.filter.periodHint', { timeZone: timeZone() })}</p>
        <Show when={filtered()}>
          <div class="audit-clear">
            <button type="button" class="button" onClick={clearFilters}>{t('audit.clearFilters')}</button>
          </div>
        </Show>
      </form>

      <Switch>
        <Match when={list.isPending}>
          <Loading />
        </Match>
        <Match when={list.isError && isPeriodError()}>
          <Notice tone="error">{t('error.check_fields')}</Notice>
        </Match>
        <Match when={list.isError && !list.data}>
          <ErrorState message={t('audit.loadError')} detail={listError()?.message}
            onRetry={() => void list.refetch()} retrying={list.isFetching} />
        </Match>
        <Match when={entries().length === 0}>
          <EmptyState>{filtered() ? t('audit.noMatch') : t('audit.empty')}</EmptyState>
        </Match>
        <Match when={true}>
          <p class="result-count muted" role="status">{t('audit.count', { count: entries().length })}</p>
          <Show when={list.isFetchNextPageError}>
            <Notice tone="error">{t('audit.loadMoreError')} {listError()?.message}</Notice>
          </Show>
          <AuditEntriesTable caption={t('nav.audit')} view="log" busy={list.isPlaceholderData}>
            {/* keyed by id: a refresh keeps open details open */}
            <For each={entryIds()}>
              {(id) => <Show when={entryById().get(id)}>{(entry) => <AuditEntryRow entry={entry()} view="log" />}</Show>}
            </For>
          </AuditEntriesTable>
          <div class="load-more">
            <Show when={list.hasNextPage}
              fallback={<p ref={endNote} tabindex="-1" class="muted">{t('audit.allShown')}</p>}>
              <LoadMoreButton loading={list.isFetchingNextPage} onMore={() => void loadMore()} />
            </Show>
          </div>
        </Match>
      </Switch>
    </section>
  );
}
