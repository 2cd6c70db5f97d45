/**
 * The ONE interface to the Rust backend. Every command goes through `call`, every event
 * through `subscribe`, a command's own stream of messages through `channel`, the native
 * folder picker and save dialog (dialog plugin) through `chooseFolder` and `chooseSaveFile`. Components
 * never import `@tauri-apps/*` themselves: they use the typed services in `services/`, and
 * branch on `BackendError.code`, never on message text.
 */
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { open as openDialog, save as saveDialog } from '@tauri-apps/plugin-dialog';
import type { ApiError } from './bindings/ApiError';
import type { ErrorCode } from './bindings/ErrorCode';
import type { Input } from './bindings/Input';

/**
 * An error from the backend: a stable `code` to branch on, a message to show, and the input at
 * fault (`field`) for a form to point at.
 */
export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly field: Input | null;

  constructor(code: ErrorCode, message: string, field: Input | null = null) {
    super(message);
    this.code = code;
    this.field = field;
    this.name = 'BackendError';
  }
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).code === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}

/**
 * Turns whatever a rejected `invoke` (or anything else) threw into a `BackendError`.
 * Commands reject with an `ApiError` `{code, message}`; the IPC layer itself may reject
 * with a plain string (unknown command, denied permission) or an `Error`.
 */
export function toBackendError(reason: unknown): BackendError {
  if (reason instanceof BackendError) return reason;
  if (isApiError(reason)) return new BackendError(reason.code, reason.message, reason.field ?? null);
  if (typeof reason === 'string') return new BackendError('internal', reason);
  if (reason instanceof Error) return new BackendError('internal', reason.message);
  return new BackendError('internal', 'The app could not complete that request.');
}

/** Calls a backend command; resolves with its result or rejects with a `BackendError`. */
export async function call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (reason) {
    throw toBackendError(reason);
  }
}

/** Listens to a backend event; resolves with the function that stops listening. */
export async function subscribe<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(event, (e) => handler(e.payload));
}

/** True inside the Tauri shell (or a mocked one); false in a bare browser. */
export function hasBackend(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** The native folder picker; resolves with the chosen path, or null when cancelled. */
export async function chooseFolder(title: string, defaultPath?: string): Promise<string | null> {
  try {
    const picked = await openDialog({ directory: true, multiple: false, title, defaultPath });
    return typeof picked === 'string' ? picked : null;
  } catch (reason) {
    throw toBackendError(reason);
  }
}

/**
 * A stream of messages from one command (its progress, say): pass it among the command's
 * arguments; `handler` hears each message the command sends while it runs.
 */
export function channel<T>(handler: (message: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = handler;
  return c;
}

/** The native save dialog; resolves with the chosen file's path, or null when cancelled. */
export async function chooseSaveFile(
  title: string,
  defaultPath?: string,
  filters?: { name: string; extensions: string[] }[],
): Promise<string | null> {
  try {
    const picked = await saveDialog({ title, defaultPath, filters });
    return typeof picked === 'string' ? picked : null;
  } catch (reason) {
    throw toBackendError(reason);
  }
}

/** The native file picker for one file; resolves with its path, or null when cancelled. */
export async function chooseFile(title: string): Promise<string | null> {
  try {
    const picked = await openDialog({ directory: false, multiple: false, title });
    return typeof picked === 'string' ? picked : null;
  } catch (reason) {
    throw toBackendError(reason);
  }
}
