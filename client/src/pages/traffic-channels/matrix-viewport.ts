/**
 * The Traffic Channels matrix scrolls inside the viewport (its own scroll container, header row and service column
 * sticky), so both of its scrollbars are on screen however many partner columns and services there are. Its height
 * is what is left below the filters and the save bar; when that is too little (a short window), it takes the height
 * below the sticky save bar, and a short page scroll brings it fully into view.
 */
import { onCleanup } from 'solid-js';

export interface MatrixRoom {
  /** window.innerHeight */
  viewportHeight: number;
  /** The matrix's top in page coordinates (its top on screen when the page is scrolled to the top). */
  offsetTop: number;
  /** Height of what stays stuck at the top of the page while it scrolls (the save bar and its margin). */
  stickyHeight: number;
  /** Space kept below the matrix (the page's bottom padding). */
  gap: number;
  /** Below this the matrix is too short to work with. */
  minHeight: number;
}

/** The matrix's maximum height in px. */
export function matrixMaxHeight(room: MatrixRoom): number {
  const below = room.viewportHeight - room.offsetTop - room.gap;
  if (below >= room.minHeight) return Math.floor(below);
  return Math.floor(Math.max(room.minHeight, room.viewportHeight - room.stickyHeight - 2 * room.gap));
}

const remPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

/**
 * Keeps `--traffic-height` (the matrix's max height) and `--traffic-head` (its sticky header's height, for
 * scroll-padding: a focused cell scrolls into view below the header) up to date on the scroll container. Called from
 * the container's ref; stops when the container's owner is cleaned up.
 */
export function fitMatrixToViewport(wrap: HTMLElement, stickyBar: () => HTMLElement | undefined) {
  let frame = 0;
  const fit = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (!wrap.isConnected) return;
      const rem = remPx();
      const bar = stickyBar();
      const height = matrixMaxHeight({
        viewportHeight: window.innerHeight,
        offsetTop: wrap.getBoundingClientRect().top + window.scrollY,
        stickyHeight: bar ? bar.getBoundingClientRect().height + (parseFloat(getComputedStyle(bar).marginBottom) || 0) : 0,
        gap: 1.5 * rem,
        minHeight: 20 * rem,
      });
      wrap.style.setProperty('--traffic-height', `${height}px`);
      const head = wrap.querySelector('thead');
      if (head) wrap.style.setProperty('--traffic-head', `${Math.ceil(head.getBoundingClientRect().height)}px`);
    });
  };
  window.addEventListener('resize', fit);
  // Notices, filters and wrapping header cells move or resize the matrix: refit whenever the page's layout changes.
  const observer = new ResizeObserver(fit);
  observer.observe(document.body);
  observer.observe(wrap);
  fit();
  onCleanup(() => {
    window.removeEventListener('resize', fit);
    observer.disconnect();
    cancelAnimationFrame(frame);
  });
}
