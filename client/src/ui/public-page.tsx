/**
 * The frame of the pages shown without signing in (sign-in, set password, partner registration): the product name
 * and the page's own language switch above the card (`main`) that holds the page. `wide` for pages with long text,
 * such as the General Terms and Conditions.
 */
import type { JSX } from 'solid-js';
import { t } from '../i18n';
import { LanguageSelect } from './language-select';

export function PublicPage(props: { wide?: boolean; children: JSX.Element }) {
  return (
    <div class="public-page">
      <div class={props.wide ? 'public-top public-top-wide' : 'public-top'}>
        <span class="brand">{t('app.name')}</span>
        <LanguageSelect />
      </div>
      <main id="main" class={props.wide ? 'card public-card public-card-wide' : 'card public-card'} tabindex="-1">
        {props.children}
      </main>
    </div>
  );
}
