import { describe, expect, it } from 'vitest';
import { formatParameters, initials, isoTime, shortId, shortPath } from './format';

describe('formatParameters', () => {
  it('writes trillions with one decimal: 1.6e12 is 1.6T', () => {
    expect(formatParameters(1.6e12)).toBe('1.6T');
  });
  it('drops a zero decimal: 3.4e10 is 34B, not 34.0B', () => {
    expect(formatParameters(3.4e10)).toBe('34B');
  });
  it('keeps a meaningful decimal: 1.4e9 is 1.4B', () => {
    expect(formatParameters(1.4e9)).toBe('1.4B');
  });
  it('uses whole numbers from 100 of a unit: 2e11 is 200B', () => {
    expect(formatParameters(2e11)).toBe('200B');
  });
  it('moves to the next unit when rounding reaches 1000: 999.7e9 is 1T', () => {
    expect(formatParameters(999.7e9)).toBe('1T');
  });
  it('shows a dash when the card does not say', () => {
    expect(formatParameters(null)).toBe('—');
  });
});

describe('ids, paths, names', () => {
  it('shortens a commit id to 7 characters as git does', () => {
    expect(shortId('0123456789abcdef0123456789abcdef01234567')).toBe('0123456');
  });
  it('shortens a deep path to ~ and its last two parts', () => {
    expect(shortPath('/home/ada/work/consortia/open-science')).toBe('…/consortia/open-science');
    expect(shortPath('/home/ada/gov')).toBe('~/gov');
  });
  it('gives ISO time in UTC without milliseconds for tooltips', () => {
    expect(isoTime(0)).toBe('1970-01-01T00:00:00Z');
  });
  it('makes initials without titles: "Dr. Ada Lovelace" is AL', () => {
    expect(initials('Dr. Ada Lovelace')).toBe('AL');
  });
});
