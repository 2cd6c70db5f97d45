/** Formatting numbers, ids, paths and times for people. Pure functions. */

const UNITS: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

function trimNumber(value: number, decimals: number): string {
  return value.toFixed(decimals).replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
}

/**
 * A parameter count in the units model names use: 1.6e12 → "1.6T", 3.4e10 → "34B",
 * 1.4e9 → "1.4B", 1.75e11 → "175B". One decimal below 100 of a unit, none above.
 */
export function formatParameters(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count) || count < 0) return '—';
  for (let i = 0; i < UNITS.length; i++) {
    const [size, unit] = UNITS[i];
    if (count >= size) {
      const value = count / size;
      const text = value >= 100 ? String(Math.round(value)) : trimNumber(value, 1);
      // Rounding can reach the next unit: 999.6B is "1T".
      if (text === '1000' && i > 0) return `1${UNITS[i - 1][1]}`;
      return `${text}${unit}`;
    }
  }
  return String(Math.round(count));
}

/** A commit or tree id as git shows it short. */
export function shortId(id: string | null | undefined, length = 7): string {
  return id ? id.slice(0, length) : '';
}

/**
 * A folder path short enough for the sidebar: the home folder as `~`, and only the last
 * `keep` parts after an ellipsis when longer.
 */
export function shortPath(path: string, keep = 2): string {
  if (!path) return '';
  const home = path.replace(/^\/home\/[^/]+(?=\/|$)/, '~').replace(/^\/root(?=\/|$)/, '~');
  const sep = home.includes('\\') && !home.includes('/') ? '\\' : '/';
  const parts = home.split(sep).filter((p, i) => p !== '' || i === 0);
  if (parts.length <= keep + 1) return home;
  return `…${sep}${parts.slice(-keep).join(sep)}`;
}

/** Seconds since the epoch, or an RFC 3339 string, as a Date (null when unreadable). */
export function toDate(time: number | string | null | undefined): Date | null {
  if (time === null || time === undefined || time === '') return null;
  const d = typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Local, readable: "12 Mar 2026, 14:05". */
export function formatDateTime(time: number | string | null | undefined): string {
  const d = toDate(time);
  if (!d) return typeof time === 'string' ? time : '';
  return d.toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Local date only: "12 Mar 2026". */
export function formatDate(time: number | string | null | undefined): string {
  const d = toDate(time);
  if (!d) return '';
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Local time of day: "14:05". */
export function formatTime(time: number | string | null | undefined): string {
  const d = toDate(time);
  if (!d) return '';
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** The exact instant in ISO 8601 (UTC), for tooltips and `<time datetime>`. */
export function isoTime(time: number | string | null | undefined): string {
  const d = toDate(time);
  return d ? d.toISOString().replace('.000Z', 'Z') : '';
}

/** "3 minutes ago", "yesterday", "in 2 days": coarse, relative to `now`. */
export function relativeTime(time: number | string | null | undefined, now: Date = new Date()): string {
  const d = toDate(time);
  if (!d) return '';
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 26 * 86400) return rtf.format(Math.round(seconds / 86400), 'day');
  if (abs < 320 * 86400) return rtf.format(Math.round(seconds / (30 * 86400)), 'month');
  return rtf.format(Math.round(seconds / (365 * 86400)), 'year');
}

/** "1 approval", "2 approvals". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Initials for an avatar: "Dr. Ada Lovelace" → "AL". */
export function initials(name: string): string {
  const words = name
    .replace(/\b(dr|prof|mr|mrs|ms)\.?\s+/gi, '')
    .split(/\s+/)
    .filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return '?';
  const first = words[0][0];
  const last = words.length > 1 ? words[words.length - 1][0] : '';
  return (first + last).toUpperCase();
}

/** A role or other id in words: "license-reviewer" → "license reviewer". */
export function idWords(id: string): string {
  return id.replace(/[-_]+/g, ' ').trim();
}
