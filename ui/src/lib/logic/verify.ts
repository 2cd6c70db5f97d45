/** The Verify screen, the banner and the sign-off badges: pure logic, unit-tested. */
import type { FindingView } from '../bindings/FindingView';
import type { SignatureStatus } from '../bindings/SignatureStatus';
import type { VerifyView } from '../bindings/VerifyView';
import { plural } from './format';
import { compareText } from './text';

/** What each kind of finding means, in words. Unknown kinds fall back to the kind itself. */
const KIND_LABELS: Record<string, string> = {
  'unknown-member': 'Unknown member',
  'missing-role': 'Missing role',
  unsigned: 'Unsigned commit',
  'bad-signature': 'Bad signature',
  'edited-signoff': 'Edited sign-off',
  'deleted-signoff': 'Deleted sign-off',
  'ungoverned-change': 'Ungoverned change',
  'not-owner': 'Not an owner',
  'bad-merge': 'Bad merge',
  'accept-without-quorum': 'Accepted without quorum',
  'forged-vote': 'Forged vote',
  'closed-proposal': 'Closed proposal changed',
  'trailer-mismatch': 'Trailer mismatch',
  'malformed-file': 'Malformed file',
  'history-rewritten': 'History rewritten',
  'bad-withdrawal': 'Bad withdrawal',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

export interface KindCount {
  kind: string;
  label: string;
  count: number;
}

/** The counts by kind, most frequent first (ties by kind), without kinds that count zero. */
export function kindCounts(view: Pick<VerifyView, 'counts'>): KindCount[] {
  return Object.entries(view.counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([kind, n]) => ({ kind, label: kindLabel(kind), count: n ?? 0 }))
    .sort((a, b) => b.count - a.count || compareText(a.kind, b.kind));
}

/** The total number of findings. */
export function findingTotal(view: Pick<VerifyView, 'findings'> | null | undefined): number {
  return view?.findings.length ?? 0;
}

/** The findings of one kind (`''` = all), in the order verify reported them. */
export function filterFindings(findings: readonly FindingView[], kind: string): FindingView[] {
  return kind === '' ? [...findings] : findings.filter((f) => f.kind === kind);
}

/** The banner's sentence, or null when there is nothing to say. */
export function bannerText(view: Pick<VerifyView, 'findings'> | null | undefined): string | null {
  const n = findingTotal(view);
  if (n === 0) return null;
  return `Verify found ${plural(n, 'finding')} in this record’s history.`;
}

/** The clean summary: “N commits checked, no findings”. */
export function cleanText(commitsChecked: number): string {
  return `${plural(commitsChecked, 'commit')} checked, no findings`;
}

export type SignatureKind = 'valid' | 'unsigned' | 'invalid' | 'unknown';

export interface SignatureLook {
  kind: SignatureKind;
  /** The word on the badge (never colour alone). */
  label: string;
  /** The tooltip: the fingerprint or the reason. */
  title: string;
  tone: 'passed' | 'changes' | 'rejected' | 'locked';
  icon: 'shield' | 'warning' | 'cross' | 'dash';
}

/** How a sign-off's signature is shown: signed and valid, unsigned, or invalid with a reason. */
export function signatureLook(sig: SignatureStatus | null | undefined): SignatureLook {
  if (!sig) return { kind: 'unknown', label: 'signature unknown', title: 'The commit that recorded this sign-off is not known', tone: 'locked', icon: 'dash' };
  switch (sig.status) {
    case 'valid':
      return { kind: 'valid', label: 'signed', title: `Signed by the member’s key ${sig.fingerprint}`, tone: 'passed', icon: 'shield' };
    case 'unsigned':
      return { kind: 'unsigned', label: 'unsigned', title: 'The commit that recorded this sign-off is not signed', tone: 'changes', icon: 'warning' };
    case 'invalid':
      return { kind: 'invalid', label: 'bad signature', title: `Signature does not hold: ${sig.reason}`, tone: 'rejected', icon: 'cross' };
  }
}
