/**
 * A Chart.js bar chart as a Solid component: the chart is created on mount, updated in place when its data or options
 * change, and destroyed on cleanup. Only the parts used are registered (bar controller, category and linear scales,
 * tooltip, legend), which keeps the bundle small. Animations are off for users who prefer reduced motion.
 *
 * A canvas says nothing to assistive technology: the canvas gets role="img" with `label` as its name, and `children`
 * (typically a visually hidden table of the same figures) are the text alternative.
 */
import { createEffect, on, onCleanup, onMount, type JSX } from 'solid-js';
import { intlLocale } from '../i18n';
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip,
  type ChartData, type ChartOptions,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export interface BarChartProps {
  /** The accessible name of the chart (read out for the canvas). */
  label: string;
  data: ChartData<'bar', (number | null)[], string>;
  options?: ChartOptions<'bar'>;
  /** The height of the drawing area in CSS pixels (the width follows its container). */
  height?: number;
  /** The text alternative: the same figures as words or a table. */
  children?: JSX.Element;
}

export function BarChart(props: BarChartProps) {
  let canvas!: HTMLCanvasElement;
  let chart: Chart<'bar', (number | null)[], string> | undefined;

  const options = (): ChartOptions<'bar'> => ({
    responsive: true,
    maintainAspectRatio: false,
    animation: prefersReducedMotion() ? false : { duration: 300 },
    // Numbers on the axes and in tooltips in the UI language ("2.000" in Romanian).
    locale: intlLocale(),
    ...props.options,
  });

  onMount(() => {
    chart = new Chart(canvas, { type: 'bar', data: props.data, options: options() });
  });

  createEffect(on(() => [props.data, props.options] as const, ([data]) => {
    if (!chart) return;
    chart.data = data;
    chart.options = options();
    chart.update();
  }, { defer: true }));

  onCleanup(() => {
    chart?.destroy();
    chart = undefined;
  });

  return (
    <div class="chart">
      <div class="chart-canvas" style={{ height: `${props.height ?? 260}px` }}>
        <canvas ref={canvas} role="img" aria-label={props.label} />
      </div>
      {props.children}
    </div>
  );
}
