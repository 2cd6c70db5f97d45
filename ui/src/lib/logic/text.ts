/**
 * Orders names as an English-language list does: letters without regard to case, then (for
 * names that differ only in case) by code point, so the order is total and stable.
 *
 * Not `localeCompare`: its first call builds WebKit's ICU collator, which kept about 1.3 MB in
 * the window's process for the rest of its life (measured by hand on 2026-12-07,
 * `docs/app-benchmarks.md`), and the board sorts at start. Ids, titles and check kinds are
 * written in ASCII; a title with an accented first letter sorts after `z`.
 */
export function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
