/**
 * The General Terms and Conditions a partner accepts: the full text in the UI language inside a scrollable region that
 * keyboard users can focus and scroll, and the acceptance checkbox naming the version. Shared by the registration page
 * and the invitations page (first approval of an organisation that has not accepted the current version).
 */
import { For, Show } from 'solid-js';
import { locale, t } from '../../i18n';

export interface GtcVersion { version: string; bodyEn: string; bodyRo: string }

export function GtcText(props: { gtc: GtcVersion; id: string }) {
  const body = () => (locale() === 'ro' ? props.gtc.bodyRo : props.gtc.bodyEn);
  // The stored text is plain text with blank lines between paragraphs.
  const paragraphs = () => body().split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return (
    <div id={props.id} class="gtc-text" role="region" aria-label={t('portal.gtc.title')} tabindex="0" lang={locale()}>
      <For each={paragraphs()}>
        {(paragraph, index) => <p classList={{ 'gtc-heading': index() === 0 }}>{paragraph}</p>}
      </For>
    </div>
  );
}

export function GtcCheckbox(props: {
  id: string; version: string; checked: boolean; onChange: (checked: boolean) => void; error?: string; describedBy?: string;
  ref?: (element: HTMLInputElement) => void;
}) {
  const describedBy = () => [props.describedBy, props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field field-checkbox gtc-accept" classList={{ 'field-invalid': !!props.error }}>
      <input ref={(el) => props.ref?.(el)} id={props.id} type="checkbox" name="acceptGtc" required
        aria-invalid={props.error ? 'true' : undefined} aria-describedby={describedBy()}
        checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <label for={props.id}>{t('portal.gtc.accept', { version: props.version })}</label>
      <Show when={props.error}>
        <p id={`${props.id}-error`} class="field-error">{props.error}</p>
      </Show>
    </div>
  );
}
