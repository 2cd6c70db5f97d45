import { describe, expect, it } from 'vitest';
import { cornerRect, placeTip, toastCorner, type Rect } from './overlay';

const view = { width: 1280, height: 800 };
const tip = { width: 200, height: 40 };

function box(p: { left: number; top: number }): Rect {
  return { left: p.left, top: p.top, right: p.left + tip.width, bottom: p.top + tip.height };
}
const overlaps = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const inside = (a: Rect) => a.left >= 0 && a.top >= 0 && a.right <= view.width && a.bottom <= view.height;

describe('tooltip placement', () => {
  it('goes above the element, centred on it', () => {
    const anchor = { left: 500, top: 300, right: 600, bottom: 330 };
    expect(placeTip(anchor, tip, view)).toEqual({ left: 450, top: 254 });
  });

  it('goes below an element at the top of the window (a commit id under the top bar)', () => {
    const anchor = { left: 500, top: 10, right: 560, bottom: 30 };
    const at = box(placeTip(anchor, tip, view));
    expect(at.top).toBe(36);
    expect(overlaps(at, anchor)).toBe(false);
  });

  it('stays inside the window at its edges', () => {
    const anchor = { left: 1250, top: 400, right: 1275, bottom: 420 };
    const at = box(placeTip(anchor, tip, view));
    expect(inside(at)).toBe(true);
    expect(overlaps(at, anchor)).toBe(false);
  });

  it('goes beside an element as tall as the window (a board column)', () => {
    const anchor = { left: 300, top: 20, right: 500, bottom: 790 };
    const at = box(placeTip(anchor, tip, view));
    expect(at.left).toBe(506);
    expect(overlaps(at, anchor)).toBe(false);
    expect(inside(at)).toBe(true);
  });

  it('never covers any element it can avoid, wherever it is', () => {
    for (let x = 0; x < view.width - 50; x += 97) {
      for (let y = 0; y < view.height - 30; y += 53) {
        const anchor = { left: x, top: y, right: x + 50, bottom: y + 30 };
        const at = box(placeTip(anchor, tip, view));
        expect(overlaps(at, anchor), `element at ${x},${y}`).toBe(false);
        expect(inside(at), `element at ${x},${y}`).toBe(true);
      }
    }
  });
});

describe('toast corner', () => {
  // The window beside a 220 px sidebar, under a 44 px top bar; a stack of one toast.
  const area = { left: 220, top: 44, right: 1280, bottom: 800 };
  const stack = { width: 380, height: 86 };
  const sign = { rect: { left: 1015, top: 697, right: 1221, bottom: 735 }, weight: 10 };
  const cancel = { rect: { left: 932, top: 697, right: 1007, bottom: 729 }, weight: 3 };

  it('keeps the usual corner, bottom right, when it covers nothing', () => {
    expect(toastCorner(stack, area, [])).toBe('bottom-right');
    expect(toastCorner(stack, area, [{ rect: { left: 300, top: 300, right: 400, bottom: 330 }, weight: 1 }])).toBe(
      'bottom-right',
    );
  });

  it("leaves a sign-off form's Sign and Cancel buttons free", () => {
    const corner = toastCorner(stack, area, [sign, cancel]);
    expect(corner).toBe('top-right');
    const r = cornerRect(corner, stack, area, 16);
    for (const b of [sign, cancel]) expect(r.bottom <= b.rect.top || r.top >= b.rect.bottom).toBe(true);
  });

  it('covers a lesser control rather than the submit button when every corner covers something', () => {
    const select = { rect: { left: 1058, top: 70, right: 1208, bottom: 102 }, weight: 1 };
    const decision = { rect: { left: 279, top: 700, right: 499, bottom: 732 }, weight: 1 };
    expect(toastCorner(stack, area, [sign, cancel, select, decision])).toBe('top-right');
  });
});
