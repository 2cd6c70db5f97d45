/** The record: the board, models, eligibility and sign-offs, documents, history. */
import { call } from '../backend';
import type { BoardView } from '../bindings/BoardView';
import type { ModelDetail } from '../bindings/ModelDetail';
import type { Eligibility } from '../bindings/Eligibility';
import type { SignForm } from '../bindings/SignForm';
import type { SignoffOutcome } from '../bindings/SignoffOutcome';
import type { DraftCheck } from '../bindings/DraftCheck';
import type { GateEligibility } from '../bindings/GateEligibility';
import type { DocumentList } from '../bindings/DocumentList';
import type { DocumentView } from '../bindings/DocumentView';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { HistoryFilter } from '../bindings/HistoryFilter';
import type { HistoryFacets } from '../bindings/HistoryFacets';
import type { VerifyView } from '../bindings/VerifyView';
import type { PdfPages } from '../bindings/PdfPages';

export type DocumentKind = 'policy' | 'checklist';

export const board = () => call<BoardView>('board');
export const model = (id: string) => call<ModelDetail>('model', { id });
export const eligibility = (model: string, gate: string) => call<Eligibility>('eligibility', { model, gate });
export const gateEligibilities = (model: string) => call<GateEligibility[]>('gate_eligibilities', { model });
/**
 * Whether the form may be signed as it stands, by the rule the commit applies (an approval
 * needs every item done or not applicable): the form never decides that itself.
 */
export const checkSignoffDraft = (form: SignForm) => call<DraftCheck>('check_signoff_draft', { form });
/** `passphrase` unlocks a protected key once; the backend keeps the unlocked key for the session. */
export const sign = (form: SignForm, passphrase: string | null = null) =>
  call<SignoffOutcome>('sign', { form, passphrase });
export const verifyRecord = () => call<VerifyView>('verify_record');
export const documentsList = () => call<DocumentList>('documents_list');
export const document = (kind: DocumentKind, id: string) => call<DocumentView>('document', { kind, id });
export const historyEntries = (filter: HistoryFilter) => call<HistoryEntry[]>('history_entries', { filter });
export const historyFacets = () => call<HistoryFacets>('history_facets');

import type { EvidenceView } from '../bindings/EvidenceView';
import type { AttachEffect } from '../bindings/AttachEffect';
import type { FormAttachment } from '../bindings/FormAttachment';

/** One evidence file of a model as `main` has it; `path` is relative to the model's folder. */
export const evidenceFile = (model: string, path: string) => call<EvidenceView>('evidence_file', { model, path });
/** A PDF evidence file's first pages, each an SVG document (for an <img>), and its page count. */
export const evidencePdfPages = (model: string, path: string) => call<PdfPages>('evidence_pdf_pages', { model, path });
/** Writes a copy of an evidence file to `dest` (from the save dialog), to open with another program. */
export const saveEvidenceCopy = (model: string, path: string, dest: string) =>
  call<void>('save_evidence_copy', { model, path, dest });
/** How many of the model's current sign-offs attaching evidence would make stale, in words. */
export const attachEffect = (model: string) => call<AttachEffect>('attach_effect', { model });
/** `sign`, adding new evidence files or links in the same commit. */
export const signAttaching = (form: SignForm, attachments: FormAttachment[], passphrase: string | null = null) =>
  call<SignoffOutcome>('sign', { form, passphrase, attachments });
