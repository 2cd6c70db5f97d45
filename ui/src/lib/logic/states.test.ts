import { describe, expect, it } from 'vitest';
import { BOARD_STATES, decisionLook, itemLook, stateColor, stateLabel, stateLook } from './states';

describe('state looks', () => {
  it('spells hyphenated states as words a reader says', () => {
    expect(stateLabel('in-review')).toBe('in review');
    expect(stateLabel('changes-requested')).toBe('changes requested');
  });

  it('gives every board state a distinct colour token, so no two states share a colour', () => {
    const tones = BOARD_STATES.map((s) => stateLook(s).tone);
    expect(new Set(tones).size).toBe(BOARD_STATES.length);
    expect(stateColor('passed')).toBe('var(--state-passed)');
    expect(stateColor('stale')).toBe('var(--state-stale)');
  });

  it('shows locked with a lock icon and stale apart from changes requested', () => {
    expect(stateLook('locked').icon).toBe('lock');
    expect(stateLook('stale').tone).not.toBe(stateLook('changes-requested').tone);
  });

  it('labels item states and decisions in words', () => {
    expect(itemLook('not-applicable').label).toBe('not applicable');
    expect(decisionLook('approve').label).toBe('approved');
    expect(decisionLook('reject').tone).toBe('rejected');
  });
});
