import { describe, expect, it } from 'vitest';
import type { BoardGate } from '../bindings/BoardGate';
import type { ChecklistVersion } from '../bindings/ChecklistVersion';
import type { OlderVersion } from '../bindings/OlderVersion';
import { approvers, changeSummary, olderChecklistNote } from './checklist';

const version = (over: Partial<OlderVersion> = {}): OlderVersion => ({
  approvals: [
    { member: 'hsato', member_name: 'Hiro Sato' },
    { member: 'lgarcia', member_name: '' },
  ],
  problem: null,
  added: ['model-license-file'],
  removed: ['export-control'],
  reworded: ['attribution'],
  ...over,
});

const gate = (id: string, versions: OlderVersion[]): BoardGate => ({
  gate: id,
  state: 'passed',
  board_state: 'passed',
  approvals: 2,
  quorum: 2,
  stale: 0,
  waiting_for: null,
  older_checklist: versions.reduce((n, v) => n + v.approvals.length, 0),
  older_versions: versions,
});

describe('checklist versions in words', () => {
  it('names approvers by name, falling back to the member id', () => {
    expect(approvers(version())).toEqual(['Hiro Sato', 'lgarcia']);
    // The model page's full version reads the same.
    const full: ChecklistVersion = {
      checklist: '514a4c4c4473aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      approvals: [{ member: 'lgarcia', member_name: '', path: 'signoffs/m/licensing/a-lgarcia.toml', at: '2026-11-29T17:01:00Z' }],
      problem: null,
      added: [],
      removed: [],
      reworded: [],
    };
    expect(approvers(full)).toEqual(['lgarcia']);
  });

  it('sums up what changed by item id', () => {
    expect(changeSummary(version())).toBe('added model-license-file; removed export-control; reworded attribution');
    expect(changeSummary(version({ added: [], removed: [], reworded: [] }))).toBe('no item changed');
  });

  it('says why a version cannot be compared', () => {
    const missing = version({ problem: 'checklist version 514a4c4c44 is not in this repository', added: [], removed: [], reworded: [] });
    expect(changeSummary(missing)).toBe('checklist version 514a4c4c44 is not in this repository');
  });
});

describe('the board marker', () => {
  it('is absent when every counted approval is on the current checklist', () => {
    expect(olderChecklistNote([gate('intake', []), gate('licensing', [])])).toBeNull();
  });

  it('counts over every gate and names members and changes gate by gate', () => {
    const note = olderChecklistNote([
      gate('intake', []),
      gate('licensing', [version()]),
      gate('safety', [version({ approvals: [version().approvals[0]], added: [], removed: [], reworded: [] })]),
    ]);
    expect(note?.count).toBe(3);
    expect(note?.text).toBe(
      '3 approvals still count but were made against an older checklist. ' +
        'licensing: Hiro Sato, lgarcia (added model-license-file; removed export-control; reworded attribution). ' +
        'safety: Hiro Sato (no item changed). Signing again approves the current checklist.',
    );
  });

  it('speaks of one approval in the singular', () => {
    const note = olderChecklistNote([gate('safety', [version({ approvals: [version().approvals[0]] })])]);
    expect(note?.text.startsWith('1 approval still counts but was made against an older checklist.')).toBe(true);
  });
});
