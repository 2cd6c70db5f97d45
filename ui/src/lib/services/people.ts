/** Members of the consortium and who the app acts as. */
import { call } from '../backend';
import type { MemberView } from '../bindings/MemberView';
import type { IdentityView } from '../bindings/IdentityView';

export const members = () => call<MemberView[]>('members');
export const identity = () => call<IdentityView>('identity');
/** `null` goes back to git's `user.email`. */
export const chooseMember = (member: string | null) => call<IdentityView>('choose_member', { member });
