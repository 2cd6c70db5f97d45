/**
 * The export dialog's choices in words and its default destinations. Pure functions: the
 * backend gives the folder (Downloads, else home) and the commit; the names are made here.
 */
import type { BackendError } from '../backend';
import type { Format } from '../bindings/Format';
import type { ReportScope } from '../bindings/ReportScope';
import { friendlyMessage } from './errors';
import { shortId } from './format';

/** What the dialog can write: the report in one format, or the bundle folder. */
export type ExportChoice = Format | 'bundle';

export interface ChoiceLook {
  value: ExportChoice;
  label: string;
  detail: string;
}

export const EXPORT_CHOICES: readonly ChoiceLook[] = [
  { value: 'pdf', label: 'PDF', detail: 'To print or send. The JSON report is attached inside.' },
  { value: 'html', label: 'HTML', detail: 'One self-contained page that opens in any browser.' },
  { value: 'md', label: 'Markdown', detail: 'Plain text, for a wiki or a repository.' },
  { value: 'json', label: 'JSON', detail: 'For programs, following the published schema.' },
  { value: 'oscal', label: 'OSCAL', detail: 'OSCAL 1.1 assessment results, one finding per item.' },
  { value: 'bundle', label: 'Bundle', detail: 'A folder: every format, the evidence cited, and SHA-256 sums to check it.' },
];

export function choiceLook(choice: ExportChoice): ChoiceLook {
  return EXPORT_CHOICES.find((c) => c.value === choice) ?? EXPORT_CHOICES[0];
}

/** A report file's ending, as the bundle names its files (`Format::extension` in Rust). */
export function extension(format: Format): string {
  return format === 'oscal' ? 'oscal.json' : format;
}

/** Lower-case words joined by dashes: a consortium's name as part of a file name. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** What a file name starts with: the model's id, the consortium's name, or the proposal's id. */
export function fileStem(scope: ReportScope, consortium = ''): string {
  switch (scope.kind) {
    case 'model':
      return scope.id;
    case 'proposal':
      return `proposal-${scope.id}`;
    case 'consortium':
      return slug(consortium) || 'consortium';
  }
}

/** `<stem>-<short commit>.<extension>`, or `<stem>-<short commit>-bundle` for the bundle folder. */
export function defaultName(stem: string, commit: string, choice: ExportChoice): string {
  const base = `${stem}-${shortId(commit)}`;
  return choice === 'bundle' ? `${base}-bundle` : `${base}.${extension(choice)}`;
}

/** The folder's separator: `\` for a Windows path, else `/`. */
function separatorOf(path: string): string {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

/** `name` inside `folder` (just `name` when there is no folder). */
export function joinPath(folder: string, name: string): string {
  if (!folder) return name;
  const sep = separatorOf(folder);
  return folder.endsWith(sep) ? `${folder}${name}` : `${folder}${sep}${name}`;
}

/** A path's folder and last part. */
export function splitPath(path: string): { folder: string; name: string } {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (at < 0) return { folder: '', name: path };
  return { folder: at === 0 ? path.slice(0, 1) : path.slice(0, at), name: path.slice(at + 1) };
}

/**
 * The destination once the format or commit changes. A default name gives way to the new
 * default in the same folder; a name of the user's own is kept, its ending changed to the new
 * format's; anything else stays as typed.
 */
export function retarget(path: string, was: { name: string; choice: ExportChoice }, now: { name: string; choice: ExportChoice }): string {
  const { folder, name } = splitPath(path);
  if (name === was.name) return joinPath(folder, now.name);
  if (was.choice !== 'bundle' && now.choice !== 'bundle') {
    const old = `.${extension(was.choice)}`;
    if (name.endsWith(old) && name.length > old.length) return joinPath(folder, name.slice(0, -old.length) + `.${extension(now.choice)}`);
  }
  return path;
}

/** The save dialog's filter for a format. */
export function saveFilter(format: Format): { name: string; extensions: string[] } {
  return { name: choiceLook(format).label, extensions: [format === 'oscal' ? 'json' : format] };
}

/** A size in bytes, for people: "812 B", "14.2 KB", "3.1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A message without the input's name the backend puts in front ("output: …"). */
function withoutInput(e: Pick<BackendError, 'message' | 'field'>): string {
  return e.field ? e.message.replace(/^[^:]+: /, '') : e.message;
}

/** Why an export failed, in plain words, by its code and the input at fault. */
export function exportErrorMessage(e: Pick<BackendError, 'code' | 'message' | 'field'>): string {
  switch (e.code) {
    case 'invalid-argument':
      if (e.field === 'output') return `The destination cannot be used: ${withoutInput(e)}.`;
      if (e.field === 'revision') return `That commit cannot be reported on: ${withoutInput(e)}.`;
      return `${withoutInput(e)}.`;
    case 'render-failed':
      return `The report could not be made in this format: ${e.message.replace(/^the \w+ report could not be made: /, '')}.`;
    case 'io':
      return `The file could not be written: ${e.message}.`;
    case 'not-found':
      return `${friendlyMessage(e.code)} (${e.message})`;
    default:
      return friendlyMessage(e.code, e.message);
  }
}
