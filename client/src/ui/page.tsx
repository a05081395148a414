/**
 * Page building blocks: the document title, a page heading, and the pages that only explain a state
 * ("in preparation", "no permission", "not found").
 */
import { createEffect, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { t } from '../i18n';

/** Keeps the browser tab's title as "<page> · Partner Module" in the current language. */
export function usePageTitle(title: () => string) {
  createEffect(() => {
    document.title = `${title()} · ${t('app.name')}`;
  });
}

export function PageHeader(props: { title: string; actions?: JSX.Element }) {
  return (
    <div class="page-header">
      <h1 id="page-title" tabindex="-1">{props.title}</h1>
      <div class="page-actions">{props.actions}</div>
    </div>
  );
}

/** A screen whose feature is not built yet. */
export function InPreparationPage(props: { title: () => string }) {
  usePageTitle(props.title);
  return (
    <section aria-labelledby="page-title">
      <PageHeader title={props.title()} />
      <div class="state state-empty"><p>{t('page.inPreparation')}</p></div>
    </section>
  );
}

export function ForbiddenPage(props: { title: () => string }) {
  usePageTitle(props.title);
  return (
    <section aria-labelledby="page-title">
      <PageHeader title={props.title()} />
      <div class="state state-forbidden"><p>{t('page.forbidden')}</p></div>
    </section>
  );
}

export function NotFoundPage() {
  usePageTitle(() => t('page.notFound.title'));
  return (
    <section aria-labelledby="page-title">
      <PageHeader title={t('page.notFound.title')} />
      <div class="state state-empty">
        <p>{t('page.notFound.text')}</p>
        <p><A href="/">{t('page.notFound.home')}</A></p>
      </div>
    </section>
  );
}
