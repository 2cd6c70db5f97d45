/** What the Identity screen says of members and of git's own identity. */
import type { IdentityView } from '../bindings/IdentityView';
import type { MemberView } from '../bindings/MemberView';

/** A member as the "Act as" list shows them: name, organisation, and the roles they hold. */
export function memberChoice(m: MemberView): string {
  const roles = m.roles.map((r) => r.title).join(', ');
  return `${m.name} · ${m.org} · ${roles || 'no role'}`;
}

/**
 * Why git's `user.email` matters here, or null when it does not: it names who the app signs
 * as (no member chosen), or it is not the chosen member's, so commits made with plain git in
 * this repository would carry someone else's name.
 */
export function gitIdentityNote(view: IdentityView, members: readonly MemberView[]): string | null {
  const email = view.git_email?.trim().toLowerCase();
  if (view.source === 'git-config') {
    return view.member ? `git's user.email (${view.git_email}) is ${view.member.name}'s: the app acts as them.` : null;
  }
  if (!email || !view.member || view.member.email.toLowerCase() === email) return null;
  const other = members.find((m) => m.email.toLowerCase() === email);
  return other
    ? `git's user.email here is ${other.name}'s (${view.git_email}): the app signs as ${view.member.name}, but commits made with plain git in this repository carry ${other.name}'s name.`
    : `git's user.email here (${view.git_email}) is no member's: the app signs as ${view.member.name}, but commits made with plain git in this repository carry that address.`;
}
