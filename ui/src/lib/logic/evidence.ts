/** Evidence files in the viewer and the sign-off form. Pure functions. */
import type { EvidenceContent } from '../bindings/EvidenceContent';

/** A file's size for people: "812 bytes", "3.4 KiB", "12 MiB". */
export function formatBytes(size: number): string {
  if (!Number.isFinite(size) || size < 0) return '—';
  if (size < 1024) return `${size} ${size === 1 ? 'byte' : 'bytes'}`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}

/** The last part of a path, on either kind of separator (a disk path on Windows too). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

/** What the viewer calls each kind, for the badge beside the file's name. */
export function kindLabel(content: EvidenceContent): string {
  switch (content.kind) {
    case 'markdown':
      return 'Markdown';
    case 'json':
      return 'JSON';
    case 'toml':
      return 'TOML';
    case 'csv':
      return 'CSV table';
    case 'link':
      return 'Link';
    case 'image':
      return content.mime.replace('image/', '').replace('+xml', '').toUpperCase() + ' image';
    case 'pdf':
      return 'PDF';
    case 'text':
      return content.problem ? 'Text (did not parse)' : 'Text';
    case 'binary':
      return 'Binary';
  }
}

/** The line under a CSV table: how many rows it shows, and whether it is cut. */
export function csvSummary(shown: number, total: number, cut: boolean): string {
  const rows = `${total} ${total === 1 ? 'row' : 'rows'}`;
  return cut ? `Showing the first ${shown} of ${rows}; the rest is in the file.` : rows;
}

/** An attachment the form will add: a file from disk, or a link. */
export type DraftAttachment = { item: string; file: string | null; url: string | null; note: string };

/** The name an attachment will have in the model's evidence folder, as the form shows it. */
export function attachmentLabel(a: DraftAttachment): string {
  return a.file !== null ? baseName(a.file) : (a.url ?? '');
}

/** Whether a link the reviewer typed is an address the backend will take (http or https). */
export function isWebAddress(url: string): boolean {
  return /^https?:\/\/[^\s/]+/.test(url.trim());
}

/**
 * An SVG document as a `data:` URL for an <img>: the image context never runs the SVG's
 * script nor loads what it links to.
 */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
