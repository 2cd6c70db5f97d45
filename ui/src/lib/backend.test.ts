import { describe, expect, it, vi, beforeEach } from 'vitest';

// No Tauri runtime exists under Vitest: only `invoke` is replaced.
const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

import { BackendError, call, toBackendError } from './backend';
import { model } from './services/record';

beforeEach(() => invoke.mockReset());

describe('backend.call', () => {
  it('rejects with a BackendError carrying the ApiError code, so screens branch on code', async () => {
    invoke.mockRejectedValueOnce({ code: 'gate-locked', message: 'safety requires evaluation to pass first' });
    const error = await call('eligibility', { model: 'm', gate: 'safety' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('gate-locked');
    expect((error as BackendError).message).toBe('safety requires evaluation to pass first');
  });

  it('passes camelCase arguments through to invoke unchanged (Tauri converts them)', async () => {
    invoke.mockResolvedValueOnce({ id: 'switch-c-1.6t' });
    await expect(model('switch-c-1.6t')).resolves.toEqual({ id: 'switch-c-1.6t' });
    expect(invoke).toHaveBeenCalledWith('model', { id: 'switch-c-1.6t' });
  });

  it('keeps the input at fault, so a form can point at its field', () => {
    const e = toBackendError({ code: 'invalid-argument', message: 'folder: /x is not empty', field: 'folder' });
    expect([e.code, e.field]).toEqual(['invalid-argument', 'folder']);
    expect(toBackendError({ code: 'gate-locked', message: 'locked', field: null }).field).toBeNull();
  });

  it('maps a plain string rejection from the IPC layer to code "internal"', () => {
    const e = toBackendError('command board not allowed');
    expect([e.code, e.message]).toEqual(['internal', 'command board not allowed']);
  });
});
