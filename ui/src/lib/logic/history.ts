/** History: the filter the backend takes, entries grouped by local day, sentences. Pure functions. */
import type { HistoryFilter } from '../bindings/HistoryFilter';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { Part } from '../bindings/Part';
import type { SignatureStatus } from '../bindings/SignatureStatus';

/** What the history screen's selects hold: '' means any. */
export interface HistoryChoice {
  member: string;
  model: string;
  gate: string;
  action: string;
}

export const ANY: HistoryChoice = { member: '', model: '', gate: '', action: '' };

export const DEFAULT_LIMIT = 500;

function orNull(value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  return v === '' ? null : v;
}

/** The backend's filter: empty choices become null (any); the limit is explicit. */
export function buildHistoryFilter(choice: Partial<HistoryChoice>, limit: number = DEFAULT_LIMIT): HistoryFilter {
  return {
    member: orNull(choice.member),
    model: orNull(choice.model),
    gate: orNull(choice.gate),
    action: orNull(choice.action),
    limit: limit > 0 ? Math.floor(limit) : null,
  };
}

export function isNarrowed(choice: HistoryChoice): boolean {
  return choice.member !== '' || choice.model !== '' || choice.gate !== '' || choice.action !== '';
}

export interface DayGroup {
  /** `YYYY-MM-DD` in local time: a stable key. */
  key: string;
  /** The day in words, local. */
  label: string;
  entries: HistoryEntry[];
}

function localKey(d: Date): string {
  const mm = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${mm}-${dd}`;
}

/** Entries (newest first, as the backend gives them) grouped by their local day, in order. */
export function groupByDay(entries: readonly HistoryEntry[], now: Date = new Date()): DayGroup[] {
  const today = localKey(now);
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  const yesterday = localKey(y);
  const groups: DayGroup[] = [];
  for (const entry of entries) {
    const d = new Date(entry.time * 1000);
    const key = localKey(d);
    let group = groups[groups.length - 1];
    if (!group || group.key !== key) {
      const label =
        key === today
          ? 'Today'
          : key === yesterday
            ? 'Yesterday'
            : d.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
      group = { key, label, entries: [] };
      groups.push(group);
    }
    group.entries.push(entry);
  }
  return groups;
}

/** The words on an action badge. */
export function actionLabel(action: string | null, decision: string | null = null): string {
  if (action === 'signoff') {
    if (decision === 'approve') return 'approved';
    if (decision === 'changes-requested') return 'changes requested';
    if (decision === 'reject') return 'rejected';
    if (decision === 'withdraw') return 'withdrawn';
    return 'sign-off';
  }
  if (action === 'model') return 'model';
  if (action === 'init') return 'founded';
  return action ?? 'commit';
}

/** The colour token of an action: sign-offs by their decision, other actions neutral. */
export function actionTone(action: string | null, decision: string | null = null): string {
  if (action === 'signoff') {
    if (decision === 'approve') return 'passed';
    if (decision === 'changes-requested') return 'changes';
    if (decision === 'reject') return 'rejected';
    if (decision === 'withdraw') return 'locked';
    return 'review';
  }
  if (action === 'model') return 'review';
  return 'open';
}

/** A piece of a History sentence as shown: a name stands out and gives its id on hover. */
export interface SentencePiece {
  text: string;
  /** `member`, `model`, `gate` or `proposal` when the piece names one; null for plain words. */
  kind: string | null;
  /** What hovering says: "member hsato", "gate data-provenance". */
  title: string | null;
}

/** The backend's sentence (core `words`), ready to render as text: names marked, ids on hover. */
export function sentencePieces(parts: readonly Part[]): SentencePiece[] {
  return parts
    .filter((p) => p.text !== '')
    .map((p) => (p.name ? { text: p.text, kind: p.name.kind, title: `${p.name.kind} ${p.name.id}` } : { text: p.text, kind: null, title: null }));
}

/** The sentence as one string (an accessible name, a copy). */
export function sentenceText(parts: readonly Part[]): string {
  return parts.map((p) => p.text).join('');
}

/** A commit's signature in History's words, whatever the action: kind (a `data-signature`), tone, words. */
export function signatureWords(sig: SignatureStatus | null): { kind: string; tone: string; words: string } {
  if (!sig) return { kind: 'unknown', tone: 'locked', words: 'Could not be checked' };
  switch (sig.status) {
    case 'valid':
      return { kind: 'valid', tone: 'passed', words: `Signed with the member’s key ${sig.fingerprint}` };
    case 'unsigned':
      return { kind: 'unsigned', tone: 'changes', words: 'Not signed' };
    case 'invalid':
      return { kind: 'invalid', tone: 'rejected', words: `Does not hold: ${sig.reason}` };
  }
}
