import { describe, expect, it } from 'vitest';
import { compositingNote, compositingOptions } from './preferences';
import type { PreferencesView } from '../bindings/PreferencesView';

const noGpu: PreferencesView = {
  compositing: 'auto',
  machine_default: false,
  machine_reason: 'this machine has no GPU render node (/dev/dri/renderD*)',
  next_start: false,
  this_run: false,
  from_environment: false,
};

describe('the compositing preference', () => {
  it('says what "as this machine suggests" means here, with the reason', () => {
    const [auto, on, off] = compositingOptions(noGpu);
    expect(auto.value).toBe('auto');
    expect(auto.label).toContain('off: this machine has no GPU render node');
    expect([on.value, off.value]).toEqual(['on', 'off']);
  });

  it('says a change applies at the next start, and what this window does until then', () => {
    expect(compositingNote(noGpu)).toBe('Compositing is off now. A change applies at the next start of the app.');
    const chosenOn = { ...noGpu, compositing: 'on' as const, next_start: true };
    expect(compositingNote(chosenOn)).toBe(
      'Applies at the next start of the app: compositing is off until then, on after.',
    );
  });

  it('names the environment variable when it decides instead', () => {
    const env = { ...noGpu, from_environment: true, this_run: true };
    expect(compositingNote(env)).toContain('WEBKIT_DISABLE_COMPOSITING_MODE is set');
    expect(compositingNote(env)).toContain('compositing is on');
  });
});
