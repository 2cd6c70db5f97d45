/**
 * Policy proposals in words and looks: badges, the comment-period countdown, quorum progress,
 * which vote and outcome buttons a member sees enabled, and a proposal id from its title.
 * Pure functions. Whether an action is allowed is the backend's (the detail's `accept`, the
 * action's refusal `code`); these only decide what to offer and how to say it.
 */
import type { ProposalSummary } from '../bindings/ProposalSummary';
import type { ProposalDetail } from '../bindings/ProposalDetail';
import type { ProposalState } from '../bindings/ProposalState';
import type { VoteKind } from '../bindings/VoteKind';
import type { ErrorCode } from '../bindings/ErrorCode';
import type { StateLook } from './states';

/** A badge on a proposal: a kind for tests (`data-badge`), and its look. */
export interface ProposalBadge {
  kind: ProposalState | 'ready' | 'objection' | 'comment-period';
  label: string;
  tone: string;
  icon: StateLook['icon'] | 'warning';
}

const STATE: Record<ProposalState, StateLook> = {
  open: { label: 'open', tone: 'review', icon: 'half' },
  accepted: { label: 'accepted', tone: 'passed', icon: 'check' },
  withdrawn: { label: 'withdrawn', tone: 'locked', icon: 'dash' },
  rejected: { label: 'rejected', tone: 'rejected', icon: 'cross' },
};

export function proposalStateLook(state: ProposalState): StateLook {
  return STATE[state] ?? { label: String(state), tone: 'locked', icon: 'circle' };
}

const VOTE: Record<VoteKind, StateLook> = {
  approve: { label: 'approves', tone: 'passed', icon: 'check' },
  object: { label: 'objects', tone: 'rejected', icon: 'cross' },
  abstain: { label: 'abstains', tone: 'locked', icon: 'dash' },
};

export function voteLook(vote: VoteKind): StateLook {
  return VOTE[vote] ?? { label: String(vote), tone: 'locked', icon: 'circle' };
}

const DAY = 86_400;
const HOUR = 3_600;

/**
 * How long the final comment period still runs, from the backend's `seconds_left`:
 * "3 days left", "1 day 4 h left", "5 h 20 min left", "12 min left", "less than a minute
 * left", and "over" once it has ended. `null` when no period runs.
 */
export function formatCountdown(secondsLeft: number | null | undefined): string | null {
  if (secondsLeft === null || secondsLeft === undefined || !Number.isFinite(secondsLeft)) return null;
  const s = Math.max(0, Math.floor(secondsLeft));
  if (s === 0) return 'over';
  if (s < 60) return 'less than a minute left';
  const days = Math.floor(s / DAY);
  const hours = Math.floor((s % DAY) / HOUR);
  const minutes = Math.floor((s % HOUR) / 60);
  if (days >= 2) return `${days} days left`;
  if (days === 1) return hours ? `1 day ${hours} h left` : '1 day left';
  if (hours >= 1) return minutes ? `${hours} h ${minutes} min left` : `${hours} h left`;
  return `${minutes} min left`;
}

/** The fields of a summary or detail the badges read. */
export interface Standing {
  state: ProposalState;
  objections: number;
  approvals: number;
  needed: number;
  acceptable: boolean;
  seconds_left: number | null;
}

export function standingOfSummary(p: ProposalSummary): Standing {
  return {
    state: p.state,
    objections: p.objections.length,
    approvals: p.approvals,
    needed: p.needed,
    acceptable: p.acceptable,
    seconds_left: p.seconds_left,
  };
}

export function standingOfDetail(p: ProposalDetail): Standing {
  return {
    state: p.state,
    objections: p.deliberation.objections.length,
    approvals: p.deliberation.approvals.length,
    needed: p.deliberation.needed,
    acceptable: p.accept.allowed,
    seconds_left: p.seconds_left,
  };
}

/**
 * The badges of a proposal, most important first: its state; then, while open, a standing
 * objection, "ready to accept", or the comment period's countdown while it runs.
 */
export function proposalBadges(p: Standing): ProposalBadge[] {
  const badges: ProposalBadge[] = [{ kind: p.state, ...proposalStateLook(p.state) }];
  if (p.state !== 'open') return badges;
  if (p.objections > 0) {
    badges.push({
      kind: 'objection',
      label: p.objections === 1 ? 'objection' : `${p.objections} objections`,
      tone: 'rejected',
      icon: 'warning',
    });
  } else if (p.acceptable) {
    badges.push({ kind: 'ready', label: 'ready to accept', tone: 'passed', icon: 'check' });
  } else if (p.seconds_left !== null && p.seconds_left > 0) {
    badges.push({
      kind: 'comment-period',
      label: `comment period: ${formatCountdown(p.seconds_left)}`,
      tone: 'stale',
      icon: 'clock',
    });
  }
  return badges;
}

/** Approvals against the quorum, as a share of the bar (0…1) and in words. */
export function quorumProgress(approvals: number, needed: number, voters: number): { share: number; label: string } {
  const share = needed > 0 ? Math.min(1, approvals / needed) : 0;
  return { share, label: `${approvals} of ${needed} approvals needed (${voters} voting members)` };
}

/** What the acting member may try on a proposal, for enabling buttons. */
export interface ProposalActions {
  /** A voting member on an open proposal. */
  canVote: boolean;
  /** Their current vote on the current subject, if any. */
  myVote: VoteKind | null;
  /** They object: voting again (approve or abstain) lifts the objection. */
  canLift: boolean;
  approve: boolean;
  /** Objecting needs a reason: disabled until one is typed. */
  object: boolean;
  abstain: boolean;
  /** Only the author may withdraw, while open. */
  withdraw: boolean;
  /** Only the author may revise, while open. */
  revise: boolean;
  /** A voting member, while an objection stands. */
  reject: boolean;
  /** What the backend says. */
  accept: boolean;
}

/** Which buttons `member` (the acting member's id, or null) sees enabled; `reason` is the text typed for an objection. */
export function proposalActions(p: ProposalDetail, member: string | null, reason: string, busy = false): ProposalActions {
  const open = p.state === 'open' && !busy;
  const voter = member !== null && p.deliberation.voters.includes(member);
  const mine = member ? p.votes.find((v) => v.member === member && !v.outdated) : undefined;
  const myVote = mine?.vote ?? null;
  const canVote = open && voter;
  const objecting = myVote === 'object';
  const hasReason = reason.trim().length > 0;
  return {
    canVote,
    myVote,
    canLift: canVote && objecting,
    approve: canVote && myVote !== 'approve',
    // A new or changed objection needs its reason; the same reason again changes nothing.
    object: canVote && hasReason && !(objecting && mine?.comment === reason.trim()),
    abstain: canVote && myVote !== 'abstain',
    withdraw: open && member !== null && member === p.author,
    revise: open && member !== null && member === p.author,
    reject: canVote && p.deliberation.objections.length > 0,
    accept: open && p.accept.allowed,
  };
}

/** Why accept is not offered, in words for the reader: the backend's reason, led by what it means. */
export function acceptBlockedTitle(code: ErrorCode | null): string {
  switch (code) {
    case 'standing-objection':
      return 'An objection stands';
    case 'quorum-not-reached':
      return 'The quorum is not reached yet';
    case 'comment-period':
      return 'The final comment period is still running';
    case 'main-moved':
      return 'main changed the same files since this was proposed';
    case 'proposal-closed':
      return 'The proposal is closed';
    case null:
      return '';
    default:
      return 'It cannot be accepted as it stands';
  }
}

/**
 * A proposal id from its title: lowercase letters, digits and dashes, at most 48 characters,
 * starting with a letter or digit (the id rule: `[a-z0-9][a-z0-9._-]{0,62}`). Accents are
 * dropped; an empty result is "proposal".
 */
export function proposalIdFrom(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug || 'proposal';
}

/** Whether `id` follows the record's id rule (the backend checks it again). */
export function isValidId(id: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{0,62}$/.test(id) && !/^\.+$/.test(id);
}

/** The count for the "Waiting on me" badge. */
export function inboxCount(inbox: { votes: unknown[]; objections: unknown[]; signoffs: unknown[] } | null | undefined): number {
  return inbox ? inbox.votes.length + inbox.objections.length + inbox.signoffs.length : 0;
}

/** A new file's path must sit under `policies/` and end in `.md` (checklists under `policies/checklists/`). */
export function newFileProblem(path: string): string | null {
  const p = path.trim();
  if (!p) return 'Give the new file a path under policies/.';
  if (!p.startsWith('policies/')) return 'A new file goes under policies/.';
  if (!p.endsWith('.md')) return 'A policy or checklist is a Markdown file ending in .md.';
  if (p.split('/').some((c) => c === '' || c === '.' || c === '..')) return 'That is not a plain path.';
  return null;
}

/** The lines of a unified diff, each with its kind, for showing the raw patch. */
export function patchLines(patch: string): { kind: 'add' | 'del' | 'hunk' | 'meta' | 'ctx'; text: string }[] {
  return patch
    .replace(/\n$/, '')
    .split('\n')
    .map((text) => {
      if (text.startsWith('+++') || text.startsWith('---') || text.startsWith('diff ') || text.startsWith('index '))
        return { kind: 'meta' as const, text };
      if (text.startsWith('@@')) return { kind: 'hunk' as const, text };
      if (text.startsWith('+')) return { kind: 'add' as const, text };
      if (text.startsWith('-')) return { kind: 'del' as const, text };
      return { kind: 'ctx' as const, text };
    });
}

/** Where line `n` (1-based) of `text` starts and ends, as offsets (clamped to the text). */
export function lineRange(text: string, n: number): { start: number; end: number } {
  let start = 0;
  for (let line = 1; line < n; line++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return { start: text.length, end: text.length };
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return { start, end: end < 0 ? text.length : end };
}

/**
 * Which blocks of a page changed, by their text: a longest common subsequence of the blocks
 * before and after. `old[i]` is true for a block removed (or changed), `new[j]` for one added
 * (or changed).
 */
export function blockDiff(before: string[], after: string[]): { old: boolean[]; new: boolean[] } {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: the longest common subsequence of before[i..] and after[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const old = new Array<boolean>(n).fill(true);
  const neu = new Array<boolean>(m).fill(true);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      old[i] = false;
      neu[j] = false;
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  return { old, new: neu };
}
