/** Backend events: `main` moved, and progress of long work. */
import { subscribe } from '../backend';
import type { RecordChanged } from '../bindings/RecordChanged';
import type { ProgressEvent } from '../bindings/ProgressEvent';

export const onRecordChanged = (handler: (e: RecordChanged) => void) => subscribe<RecordChanged>('record-changed', handler);
export const onProgress = (handler: (e: ProgressEvent) => void) => subscribe<ProgressEvent>('progress', handler);
