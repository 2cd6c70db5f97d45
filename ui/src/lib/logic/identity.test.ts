import { describe, expect, it } from 'vitest';
import type { IdentityView } from '../bindings/IdentityView';
import type { MemberView } from '../bindings/MemberView';
import { gitIdentityNote, memberChoice } from './identity';

const member = (id: string, name: string, email: string, roles: string[] = []): MemberView =>
  ({ id, name, email, org: 'riken', roles: roles.map((t, i) => ({ id: `r${i}`, title: t })), keys: [] }) as unknown as MemberView;

const hsato = member('hsato', 'Hiroshi Sato', 'hsato@riken.jp', ['Safety reviewer', 'License reviewer']);
const rvance = member('rvance', 'Rosa Vance', 'rvance@anl.gov');

const view = (source: string, m: MemberView | null, git: string | null): IdentityView =>
  ({ source, member: m, git_email: git }) as unknown as IdentityView;

describe('memberChoice', () => {
  it('shows the organisation and every role a member holds', () => {
    expect(memberChoice(hsato)).toBe('Hiroshi Sato · riken · Safety reviewer, License reviewer');
    expect(memberChoice(rvance)).toBe('Rosa Vance · riken · no role');
  });
});

describe('gitIdentityNote', () => {
  it('says nothing when git agrees with the chosen member, or is not set', () => {
    expect(gitIdentityNote(view('chosen', hsato, 'HSato@riken.jp'), [hsato])).toBeNull();
    expect(gitIdentityNote(view('chosen', hsato, null), [hsato])).toBeNull();
  });
  it("names the other member whose address git holds, since plain git commits would carry it", () => {
    const note = gitIdentityNote(view('chosen', hsato, 'rvance@anl.gov'), [hsato, rvance]);
    expect(note).toContain("Rosa Vance's");
    expect(note).toContain('signs as Hiroshi Sato');
  });
  it('says when git names no member', () => {
    expect(gitIdentityNote(view('chosen', hsato, 'someone@example.org'), [hsato])).toContain("no member's");
  });
  it('explains that git chose the member when it did', () => {
    expect(gitIdentityNote(view('git-config', hsato, 'hsato@riken.jp'), [hsato])).toContain('acts as them');
  });
});
