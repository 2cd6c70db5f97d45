import { describe, expect, it } from 'vitest';
import { hitTarget, snippetSegments } from './snippet';

describe('search snippets', () => {
  it('joins neighbouring pieces, folds line breaks, and marks only matched terms', () => {
    const segments = snippetSegments([
      { text: '…the red', matched: false },
      { text: '\nteam', matched: false },
      { text: 'uplift', matched: true },
      { text: ' in biology ', matched: false },
    ]);
    expect(segments).toEqual([
      { text: '…the red team', mark: false },
      { text: 'uplift', mark: true },
      { text: ' in biology', mark: false },
    ]);
  });

  it('keeps markup as literal text (never HTML)', () => {
    expect(snippetSegments([{ text: '<img src=x onerror=alert(1)>', matched: true }])).toEqual([
      { text: '<img src=x onerror=alert(1)>', mark: true },
    ]);
  });

  it('sends a sign-off hit to its model at the gate its path names', () => {
    expect(hitTarget({ kind: 'signoff', ref: 'switch-c-1.6t', path: 'signoffs/switch-c-1.6t/safety/20261129T170000Z-ada.toml' })).toEqual({
      screen: 'model',
      id: 'switch-c-1.6t',
      gate: 'safety',
    });
    // Format 2 keeps the model's folder in a bucket: the gate is still the folder above the file.
    expect(hitTarget({ kind: 'signoff', ref: 'switch-c-1.6t', path: 'signoffs/fa/switch-c-1.6t/licensing/20261129T170000Z-ada.toml' })).toEqual({
      screen: 'model',
      id: 'switch-c-1.6t',
      gate: 'licensing',
    });
    // A path that does not hold the model the hit names opens the model without a gate.
    expect(hitTarget({ kind: 'signoff', ref: 'switch-c-1.6t', path: 'signoffs/fa/other/licensing/x.toml' })).toEqual({
      screen: 'model',
      id: 'switch-c-1.6t',
      gate: null,
    });
    expect(hitTarget({ kind: 'checklist', ref: 'safety', path: 'policies/checklists/safety.md' })).toEqual({
      screen: 'documents',
      kind: 'checklist',
      id: 'safety',
    });
  });

  it('opens an evidence hit in the evidence viewer, by its path inside the model folder', () => {
    expect(hitTarget({ kind: 'evidence', ref: 'aurora-sci-200b', path: 'models/aurora-sci-200b/evidence/eval-scores.csv' })).toEqual({
      screen: 'evidence',
      model: 'aurora-sci-200b',
      path: 'evidence/eval-scores.csv',
    });
    // A path outside the model it names is not followed.
    expect(hitTarget({ kind: 'evidence', ref: 'aurora-sci-200b', path: 'models/other/evidence/x.md' })).toBeNull();
  });
});
