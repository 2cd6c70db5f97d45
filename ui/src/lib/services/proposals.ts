/** Policy proposals: the list, one proposal, the editor's preview, "waiting on me", and the actions. */
import { call } from '../backend';
import type { ProposalList } from '../bindings/ProposalList';
import type { ProposalDetail } from '../bindings/ProposalDetail';
import type { FilePreview } from '../bindings/FilePreview';
import type { FrameworkFile } from '../bindings/FrameworkFile';
import type { Inbox } from '../bindings/Inbox';
import type { ProposeForm } from '../bindings/ProposeForm';
import type { ReviseForm } from '../bindings/ReviseForm';
import type { ProposalOutcome } from '../bindings/ProposalOutcome';
import type { VoteKind } from '../bindings/VoteKind';

export const list = () => call<ProposalList>('proposals_list');
export const detail = (id: string) => call<ProposalDetail>('proposal', { id });
/** Reads the editor's text as the record would read the file at `path` (the same parsers). */
export const previewFile = (path: string, text: string) => call<FilePreview>('preview_file', { path, text });
/** A framework file's text on `main` (`text: null` for a new file), for the editor. */
export const frameworkFile = (path: string) => call<FrameworkFile>('framework_file', { path });
/** What the record waits on the acting member for. */
export const inbox = () => call<Inbox>('inbox');

// Every action signs with the acting member's key; `passphrase` unlocks a protected key once.
export const propose = (form: ProposeForm, passphrase: string | null = null) =>
  call<ProposalOutcome>('propose', { form, passphrase });
export const revise = (form: ReviseForm, passphrase: string | null = null) =>
  call<ProposalOutcome>('revise', { form, passphrase });
export const vote = (proposal: string, vote: VoteKind, comment: string, passphrase: string | null = null) =>
  call<ProposalOutcome>('vote', { proposal, vote, comment, passphrase });
export const accept = (proposal: string, comment: string, passphrase: string | null = null) =>
  call<ProposalOutcome>('accept', { proposal, comment, passphrase });
export const withdraw = (proposal: string, comment: string, passphrase: string | null = null) =>
  call<ProposalOutcome>('withdraw', { proposal, comment, passphrase });
export const reject = (proposal: string, comment: string, passphrase: string | null = null) =>
  call<ProposalOutcome>('reject', { proposal, comment, passphrase });
