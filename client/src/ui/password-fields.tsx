/**
 * Choosing a new password (set password, partner registration): "New password" with the password rules as its hint,
 * then "Repeat the password", both autocomplete="new-password" so that password managers offer to generate and store
 * it; each shows its server error.
 */
import { t } from '../i18n';
import { Field, fieldAria } from './field';

export function NewPasswordFields(props: {
  /** ids of the two inputs. */
  id: string;
  repeatId: string;
  password: string;
  onPassword: (value: string) => void;
  passwordConfirm: string;
  onPasswordConfirm: (value: string) => void;
  error?: string;
  repeatError?: string;
  /** Gets the "New password" input (e.g. to focus it). */
  ref?: (input: HTMLInputElement) => void;
}) {
  return (
    <>
      <Field id={props.id} label={t('setPassword.new')} hint={t('setPassword.hint')} error={props.error}>
        <input ref={(el) => props.ref?.(el)} {...fieldAria(props.id, t('setPassword.hint'), props.error)}
          type="password" name="password" autocomplete="new-password" required
          value={props.password} onInput={(e) => props.onPassword(e.currentTarget.value)} />
      </Field>
      <Field id={props.repeatId} label={t('setPassword.repeat')} error={props.repeatError}>
        <input {...fieldAria(props.repeatId, undefined, props.repeatError)}
          type="password" name="passwordConfirm" autocomplete="new-password" required
          value={props.passwordConfirm} onInput={(e) => props.onPasswordConfirm(e.currentTarget.value)} />
      </Field>
    </>
  );
}
