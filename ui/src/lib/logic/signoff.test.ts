import { describe, expect, it } from 'vitest';
import type { GateDetail } from '../bindings/GateDetail';
import { buildSignForm, draftAdvice, initialDraft, markAllDone, validateDraft, type SignDraft } from './signoff';

const draft = (decision: SignDraft['decision'], states: SignDraft['items'][number]['state'][]): SignDraft => ({
  decision,
  comment: '',
  items: states.map((state, i) => ({ id: `item-${i}`, state, note: '', evidence: [] })),
});

describe('approve needs settled items', () => {
  it('refuses an approval while any item is open, naming the blocking items', () => {
    const v = validateDraft(draft('approve', ['done', 'open', 'not-applicable']));
    expect(v.ok).toBe(false);
    expect(v.blocking).toEqual(['item-1']);
    expect(v.reason).toContain('1 item is still open');
  });

  it('allows an approval when every item is done or not applicable', () => {
    expect(validateDraft(draft('approve', ['done', 'not-applicable'])).ok).toBe(true);
  });

  it('allows a request for changes with open items (the rule binds approvals only)', () => {
    const d = draft('changes-requested', ['open', 'open']);
    expect(validateDraft(d).ok).toBe(true);
    expect(draftAdvice(d)).toContain('what should change');
  });

  it('"Mark all done" settles open items but keeps not-applicable ones', () => {
    const d = markAllDone(draft('approve', ['open', 'not-applicable']));
    expect(d.items.map((i) => i.state)).toEqual(['done', 'not-applicable']);
    expect(validateDraft(d).ok).toBe(true);
  });
});

describe('sign form', () => {
  it('flattens evidence per item and trims notes and the comment', () => {
    const d: SignDraft = {
      decision: 'approve',
      comment: '  Checked.  ',
      items: [{ id: 'bom', state: 'done', note: ' ok ', evidence: ['evidence/license-bom.md'] }],
    };
    expect(buildSignForm('m', 'licensing', d)).toEqual({
      model: 'm',
      gate: 'licensing',
      decision: 'approve',
      items: [{ id: 'bom', state: 'done', note: 'ok' }],
      evidence: [{ item: 'bom', path: 'evidence/license-bom.md' }],
      comment: 'Checked.',
    });
  });

  it("starts from the member's own current sign-off on the gate, else all open", () => {
    const gate = {
      items: [
        { id: 'a', text_html: 'A', state: 'done', evidence: [], notes: [] },
        { id: 'b', text_html: 'B', state: 'done', evidence: [], notes: [] },
      ],
      signoffs: [
        {
          member: 'ada',
          current: true,
          items: [{ id: 'a', state: 'done', evidence: ['evidence/x.md'], note: 'seen' }],
        },
      ],
    } as unknown as GateDetail;
    const mine = initialDraft(gate, 'ada');
    expect(mine.items).toEqual([
      { id: 'a', state: 'done', note: 'seen', evidence: ['evidence/x.md'] },
      { id: 'b', state: 'open', note: '', evidence: [] },
    ]);
    expect(initialDraft(gate, 'bob').items.map((i) => i.state)).toEqual(['open', 'open']);
  });

  it('keeps notes but reopens every item when the earlier sign-off is stale (the model changed)', () => {
    const gate = {
      items: [{ id: 'a', text_html: 'A', state: 'done', evidence: [], notes: [] }],
      signoffs: [{ member: 'ada', current: false, items: [{ id: 'a', state: 'done', evidence: [], note: 'seen' }] }],
    } as unknown as GateDetail;
    expect(initialDraft(gate, 'ada').items).toEqual([{ id: 'a', state: 'open', note: 'seen', evidence: [] }]);
  });
});

describe('draft kept across a record change', () => {
  it('keeps input for items still there, adds new ones open, drops vanished evidence', async () => {
    const { reconcileDraft } = await import('./signoff');
    const d: SignDraft = {
      decision: 'approve',
      comment: 'c',
      items: [
        { id: 'a', state: 'done', note: 'n', evidence: ['evidence/x.md', 'evidence/gone.md'] },
        { id: 'old', state: 'done', note: '', evidence: [] },
      ],
    };
    const gate = { items: [{ id: 'a' }, { id: 'new' }] } as unknown as GateDetail;
    const r = reconcileDraft(d, gate, ['evidence/x.md']);
    expect(r.items).toEqual([
      { id: 'a', state: 'done', note: 'n', evidence: ['evidence/x.md'] },
      { id: 'new', state: 'open', note: '', evidence: [] },
    ]);
    expect(r.comment).toBe('c');
  });
});
