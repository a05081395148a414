import { describe, expect, it } from 'vitest';
import { matrixMaxHeight } from './matrix-viewport';

const room = { stickyHeight: 60, gap: 24, minHeight: 320 };

describe('matrixMaxHeight (the Traffic Channels matrix scrolls inside the viewport)', () => {
  it('takes what is left below the filters, so both scrollbars are on screen without scrolling the page', () => {
    expect(matrixMaxHeight({ ...room, viewportHeight: 1080, offsetTop: 420 })).toBe(636);
    expect(matrixMaxHeight({ ...room, viewportHeight: 768, offsetTop: 420 })).toBe(324);
  });
  it('in a short window, fills the viewport below the sticky save bar (a short page scroll shows it whole)', () => {
    expect(matrixMaxHeight({ ...room, viewportHeight: 600, offsetTop: 420 })).toBe(492);
    expect(matrixMaxHeight({ ...room, viewportHeight: 300, offsetTop: 420 })).toBe(320);
  });
});
