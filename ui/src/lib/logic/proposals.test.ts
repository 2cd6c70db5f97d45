import { describe, expect, it } from 'vitest';
import type { ProposalDetail } from '../bindings/ProposalDetail';
import type { VoteView } from '../bindings/VoteView';
import {
  acceptBlockedTitle,
  blockDiff,
  formatCountdown,
  inboxCount,
  isValidId,
  lineRange,
  newFileProblem,
  patchLines,
  proposalActions,
  proposalBadges,
  proposalIdFrom,
  quorumProgress,
  type Standing,
} from './proposals';

const SUBJECT = '1'.repeat(40);

function vote(member: string, kind: VoteView['vote'], extra: Partial<VoteView> = {}): VoteView {
  return { member, name: member, vote: kind, at: '2026-12-01T10:00:00Z', comment: '', subject: SUBJECT, outdated: false, counts: true, ...extra };
}

function detail(over: Partial<ProposalDetail> = {}, votes: VoteView[] = [], objections: string[] = []): ProposalDetail {
  return {
    head: 'h',
    id: 'p',
    title: 'T',
    author: 'ada',
    branch: 'proposals/p',
    subject: SUBJECT,
    state: 'open',
    rationale: '',
    rationale_html: '',
    base: null,
    files: [],
    votes,
    deliberation: {
      subject: SUBJECT,
      voters: ['ada', 'bob', 'cy'],
      needed: 2,
      quorum: '2/3',
      final_comment_days: 0,
      approvals: votes.filter((v) => v.vote === 'approve').map((v) => v.member),
      objections: objections.map((member) => ({ member, comment: 'no', at: '2026-12-01T10:00:00Z' })),
      abstentions: [],
      outdated: [],
      waiting: [],
      ignored: [],
      period_started: null,
      period_ends: null,
    },
    seconds_left: null,
    outcome: null,
    accept: { allowed: false, code: 'quorum-not-reached', reason: 'not yet', changes: [] },
    problems: [],
    ...over,
  };
}

describe('the comment-period countdown', () => {
  it('says days while more than two remain, then days and hours, hours and minutes', () => {
    expect(formatCountdown(3 * 86400 + 5000)).toBe('3 days left');
    expect(formatCountdown(86400 + 4 * 3600 + 59)).toBe('1 day 4 h left');
    expect(formatCountdown(86400)).toBe('1 day left');
    expect(formatCountdown(5 * 3600 + 20 * 60 + 7)).toBe('5 h 20 min left');
    expect(formatCountdown(2 * 3600)).toBe('2 h left');
    expect(formatCountdown(12 * 60 + 30)).toBe('12 min left');
    expect(formatCountdown(30)).toBe('less than a minute left');
  });
  it('is over at zero (or below) and absent when no period runs', () => {
    expect(formatCountdown(0)).toBe('over');
    expect(formatCountdown(-5)).toBe('over');
    expect(formatCountdown(null)).toBeNull();
    expect(formatCountdown(undefined)).toBeNull();
  });
});

describe('badges', () => {
  const open: Standing = { state: 'open', objections: 0, approvals: 1, needed: 2, acceptable: false, seconds_left: null };
  const kinds = (s: Standing) => proposalBadges(s).map((b) => b.kind);

  it('shows the state alone for a closed proposal, whatever else is true', () => {
    expect(kinds({ ...open, state: 'accepted', acceptable: true })).toEqual(['accepted']);
    expect(kinds({ ...open, state: 'withdrawn', objections: 1 })).toEqual(['withdrawn']);
    expect(kinds({ ...open, state: 'rejected' })).toEqual(['rejected']);
  });
  it('puts a standing objection before readiness and the countdown', () => {
    expect(kinds({ ...open, objections: 1, acceptable: true, seconds_left: 100 })).toEqual(['open', 'objection']);
    expect(proposalBadges({ ...open, objections: 2 })[1].label).toBe('2 objections');
  });
  it('says ready to accept when the backend says so', () => {
    expect(kinds({ ...open, acceptable: true })).toEqual(['open', 'ready']);
  });
  it('counts the comment period down while it runs', () => {
    const b = proposalBadges({ ...open, approvals: 2, seconds_left: 3 * 86400 });
    expect(b.map((x) => x.kind)).toEqual(['open', 'comment-period']);
    expect(b[1].label).toBe('comment period: 3 days left');
    expect(kinds({ ...open, seconds_left: 0 })).toEqual(['open']);
  });
});

describe('vote and outcome buttons', () => {
  it('keeps Object disabled until a reason is typed', () => {
    const p = detail();
    expect(proposalActions(p, 'bob', '').object).toBe(false);
    expect(proposalActions(p, 'bob', '   ').object).toBe(false);
    expect(proposalActions(p, 'bob', 'Too lax').object).toBe(true);
    expect(proposalActions(p, 'bob', '').approve).toBe(true);
    expect(proposalActions(p, 'bob', '').abstain).toBe(true);
  });
  it('offers no vote to a member who does not vote, nobody, or on a closed proposal', () => {
    expect(proposalActions(detail(), 'zed', 'x').canVote).toBe(false);
    expect(proposalActions(detail(), null, 'x').object).toBe(false);
    expect(proposalActions(detail({ state: 'accepted' }), 'bob', 'x').approve).toBe(false);
    expect(proposalActions(detail(), 'bob', 'x', true).approve).toBe(false);
  });
  it('lets an objector lift their objection by voting again, and not object twice alike', () => {
    const p = detail({}, [vote('bob', 'object', { comment: 'Too lax' })], ['bob']);
    const a = proposalActions(p, 'bob', 'Too lax');
    expect([a.myVote, a.canLift, a.approve, a.object]).toEqual(['object', true, true, false]);
    expect(proposalActions(p, 'bob', 'Worse than I thought').object).toBe(true);
  });
  it('ignores an outdated vote: the member votes again on the new version', () => {
    const p = detail({}, [vote('bob', 'approve', { outdated: true, counts: false })]);
    expect(proposalActions(p, 'bob', '').myVote).toBeNull();
    expect(proposalActions(p, 'bob', '').approve).toBe(true);
  });
  it('offers withdraw and revise to the author only, reject only while an objection stands', () => {
    expect(proposalActions(detail(), 'ada', '').withdraw).toBe(true);
    expect(proposalActions(detail(), 'bob', '').withdraw).toBe(false);
    expect(proposalActions(detail(), 'bob', '').revise).toBe(false);
    expect(proposalActions(detail(), 'cy', '').reject).toBe(false);
    expect(proposalActions(detail({}, [], ['bob']), 'cy', '').reject).toBe(true);
  });
  it('enables accept exactly when the backend allows it', () => {
    expect(proposalActions(detail(), 'zed', '').accept).toBe(false);
    const ok = detail({ accept: { allowed: true, code: null, reason: null, changes: ['policies/x.md'] } });
    expect(proposalActions(ok, 'zed', '').accept).toBe(true);
  });
  it('words why accept is blocked by the code, not the message', () => {
    expect(acceptBlockedTitle('standing-objection')).toBe('An objection stands');
    expect(acceptBlockedTitle('comment-period')).toContain('comment period');
    expect(acceptBlockedTitle('git')).toBe('It cannot be accepted as it stands');
  });
});

describe('helpers', () => {
  it('makes a valid proposal id from a title', () => {
    expect(proposalIdFrom('Add a jailbreak item to Safety!')).toBe('add-a-jailbreak-item-to-safety');
    expect(proposalIdFrom('Über die Qualität')).toBe('uber-die-qualitat');
    expect(proposalIdFrom('   ')).toBe('proposal');
    const long = proposalIdFrom('x'.repeat(30) + ' ' + 'y'.repeat(30));
    expect(long.length).toBeLessThanOrEqual(48);
    expect(isValidId(long)).toBe(true);
    expect(isValidId('-a')).toBe(false);
    expect(isValidId('..')).toBe(false);
  });
  it('checks a new file path', () => {
    expect(newFileProblem('policies/checklists/new.md')).toBeNull();
    expect(newFileProblem('models/x.md')).toContain('policies/');
    expect(newFileProblem('policies/x.txt')).toContain('.md');
    expect(newFileProblem('policies/../x.md')).not.toBeNull();
  });
  it('quorum progress never exceeds a full bar', () => {
    expect(quorumProgress(1, 2, 3).share).toBe(0.5);
    expect(quorumProgress(5, 2, 8).share).toBe(1);
    expect(quorumProgress(0, 0, 0).share).toBe(0);
  });
  it('counts what waits', () => {
    expect(inboxCount({ votes: [1], objections: [], signoffs: [1, 2] })).toBe(3);
    expect(inboxCount(null)).toBe(0);
  });
  it('marks the blocks a change added and removed, keeping the ones both sides share', () => {
    expect(blockDiff(['a', 'b', 'c'], ['a', 'b', 'c', 'd'])).toEqual({ old: [false, false, false], new: [false, false, false, true] });
    expect(blockDiff(['a', 'b', 'c'], ['a', 'B', 'c'])).toEqual({ old: [false, true, false], new: [false, true, false] });
    expect(blockDiff([], ['x'])).toEqual({ old: [], new: [true] });
    expect(blockDiff(['x'], [])).toEqual({ old: [true], new: [] });
  });
  it('finds a line of the text to select', () => {
    expect(lineRange('a\nbc\nd', 2)).toEqual({ start: 2, end: 4 });
    expect(lineRange('a\nbc\nd', 3)).toEqual({ start: 5, end: 6 });
    expect(lineRange('a', 9)).toEqual({ start: 1, end: 1 });
  });
  it('classifies the lines of a patch', () => {
    const kinds = patchLines('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n same\n').map((l) => l.kind);
    expect(kinds).toEqual(['meta', 'meta', 'hunk', 'del', 'add', 'ctx']);
  });
});
