/** Search snippets: backend pieces → segments to render as text, matches marked. */
import type { Piece } from '../bindings/Piece';

export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * Joins neighbouring pieces of the same kind, folds runs of whitespace (snippets cut across
 * lines) and drops empty pieces. The text stays text: it is never parsed as HTML.
 */
export function snippetSegments(pieces: readonly Piece[]): Segment[] {
  const out: Segment[] = [];
  for (const piece of pieces) {
    const text = piece.text.replace(/\s+/g, ' ');
    if (text === '') continue;
    const last = out[out.length - 1];
    if (last && last.mark === piece.matched) last.text += text;
    else out.push({ text, mark: piece.matched });
  }
  if (out.length > 0) {
    out[0].text = out[0].text.replace(/^ /, '');
    const end = out[out.length - 1];
    end.text = end.text.replace(/ $/, '');
  }
  return out.filter((s) => s.text !== '');
}

/** Where a search result leads. */
export type HitTarget =
  | { screen: 'model'; id: string; gate: string | null }
  | { screen: 'documents'; kind: 'policy' | 'checklist'; id: string }
  | { screen: 'evidence'; model: string; path: string };

/**
 * A model opens the model; a policy or checklist opens the document; a sign-off opens its
 * model (at the gate, when the path names it: `signoffs/<bucket>/<model>/<gate>/<file>`, or
 * `signoffs/<model>/<gate>/<file>` in a format 1 record); an evidence
 * file opens in the evidence viewer, by its path inside the model's folder (`evidence/...`).
 */
export function hitTarget(hit: { kind: string; ref: string; path: string }): HitTarget | null {
  switch (hit.kind) {
    case 'evidence': {
      const folder = `models/${hit.ref}/`;
      if (!hit.path.startsWith(folder)) return null;
      return { screen: 'evidence', model: hit.ref, path: hit.path.slice(folder.length) };
    }
    case 'model':
      return { screen: 'model', id: hit.ref, gate: null };
    case 'policy':
    case 'checklist':
      return { screen: 'documents', kind: hit.kind, id: hit.ref };
    case 'signoff': {
      // The model and gate are the two folders above the file, in either layout.
      const parts = hit.path.split('/');
      if (parts[0] === 'signoffs' && (parts.length === 4 || parts.length === 5) && parts[parts.length - 3] === hit.ref) {
        return { screen: 'model', id: hit.ref, gate: parts[parts.length - 2] };
      }
      return { screen: 'model', id: hit.ref, gate: null };
    }
    default:
      return null;
  }
}
