import { describe, expect, it } from 'vitest';
import { compareText } from './text';

describe('compareText', () => {
  it('orders letters without regard to case, as a reader scans a list', () => {
    const titles = ['switch-c', 'Mixtral 8x22B', 'DeepSeek-V3', 'arctic', 'Kimi K2'];
    expect([...titles].sort(compareText)).toEqual(['arctic', 'DeepSeek-V3', 'Kimi K2', 'Mixtral 8x22B', 'switch-c']);
  });

  it('puts names that differ only in case in a fixed order, so a sort is the same every time', () => {
    expect(compareText('Llama', 'llama')).toBeLessThan(0);
    expect(compareText('llama', 'Llama')).toBeGreaterThan(0);
    expect(compareText('llama', 'llama')).toBe(0);
  });

  it('keeps digits before letters and a prefix before its longer names', () => {
    expect(['b', '10b', 'a1', 'a'].sort(compareText)).toEqual(['10b', 'a', 'a1', 'b']);
  });
});
