/** Where overlays go: the tooltip beside what it describes, toasts clear of the buttons. */

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Size {
  width: number;
  height: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(v, Math.max(lo, hi)));

/**
 * The tooltip's top-left corner for an element at `anchor` in a window of `view`: above it,
 * centred, when there is room; else below; else to its right or left; `gap` pixels off the
 * element and the window's edges. Only when none of these has room (an element taller and
 * wider than the window allows) does it sit at the window's top edge.
 */
export function placeTip(anchor: Rect, tip: Size, view: Size, gap = 6): { left: number; top: number } {
  const centred = clamp((anchor.left + anchor.right) / 2 - tip.width / 2, gap, view.width - tip.width - gap);
  if (anchor.top - gap - tip.height >= gap) return { left: centred, top: anchor.top - gap - tip.height };
  if (anchor.bottom + gap + tip.height <= view.height - gap) return { left: centred, top: anchor.bottom + gap };
  const middle = clamp((anchor.top + anchor.bottom) / 2 - tip.height / 2, gap, view.height - tip.height - gap);
  if (anchor.right + gap + tip.width <= view.width - gap) return { left: anchor.right + gap, top: middle };
  if (anchor.left - gap - tip.width >= gap) return { left: anchor.left - gap - tip.width, top: middle };
  return { left: centred, top: gap };
}

/** A control on screen, and how much covering it would hurt (a form's submit button most). */
export interface Control {
  rect: Rect;
  weight: number;
}

/** The corners the toast stack may take, first the usual one. */
export const TOAST_CORNERS = ['bottom-right', 'top-right', 'bottom-left'] as const;
export type Corner = (typeof TOAST_CORNERS)[number];

/**
 * Where the toast stack of `stack` size sits at `corner`, `margin` off the edges of `area`
 * (the part of the window under the top bar and beside the sidebar).
 */
export function cornerRect(corner: Corner, stack: Size, area: Rect, margin: number): Rect {
  const left = corner === 'bottom-left' ? area.left + margin : area.right - margin - stack.width;
  const top = corner === 'top-right' ? area.top + margin : area.bottom - margin - stack.height;
  return { left, top, right: left + stack.width, bottom: top + stack.height };
}

/**
 * The corner for the toasts that covers the least: none of `controls` if one can, the usual
 * corner when it is as good as any (so toasts do not jump about needlessly).
 */
export function toastCorner(stack: Size, area: Rect, controls: readonly Control[], margin = 16): Corner {
  const overlaps = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  let best: Corner = TOAST_CORNERS[0];
  let bestCost = Infinity;
  for (const corner of TOAST_CORNERS) {
    const r = cornerRect(corner, stack, area, margin);
    const cost = controls.filter((c) => overlaps(r, c.rect)).reduce((n, c) => n + c.weight, 0);
    if (cost < bestCost) {
      best = corner;
      bestCost = cost;
    }
  }
  return best;
}
