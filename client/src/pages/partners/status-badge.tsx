/** The status of a partnership as a coloured badge with its label (the colour only repeats what the text says). */
import { statusLabel } from './partner-format';

export function StatusBadge(props: { status: string }) {
  return <span class={`badge badge-partner badge-partner-${props.status}`}>{statusLabel(props.status)}</span>;
}
