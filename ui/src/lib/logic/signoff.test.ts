import { describe, expect, it } from 'vitest';
import type { GateDetail } from '../bindings/GateDetail';
import { buildSignForm, draftAdvice, initialDraft, markAllDone, openItemIds, type SignDraft } from './signoff';

const draft = (decision: SignDraft['decision'], states: SignDraft['items'][number]['state'][]): SignDraft => ({
  decision,
  comment: '',
  items: states.map((state, i) => ({ id: `item-${i}`, state, note: '', evidence: [] })),
});

// Whether a draft may be signed (an approval needs every item done or not applicable) is the
// backend's rule: its cases are Rust tests of `actions::signoff::check_draft`.
describe('draft helpers', () => {
  it('advises a request for changes without a comment to say what should change', () => {
    expect(draftAdvice(draft('changes-requested', ['open', 'open']))).toContain('what should change');
    expect(draftAdvice(draft('reject', ['open']))).toContain('why you reject');
    expect(draftAdvice(draft('approve', ['open']))).toBeNull();
  });

  it('"Mark all done" settles open items but keeps not-applicable ones', () => {
    const d = markAllDone(draft('approve', ['open', 'not-applicable']));
    expect(d.items.map((i) => i.state)).toEqual(['done', 'not-applicable']);
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

describe('openItemIds', () => {
  it('lists, in order, exactly the items Mark all done would tick', () => {
    const d = draft('approve', ['done', 'open', 'not-applicable', 'open']);
    expect(openItemIds(d)).toEqual(['item-1', 'item-3']);
    expect(openItemIds(markAllDone(d))).toEqual([]);
  });
});
