/** Full-text search over cards, policies, checklists and sign-offs. */
import { call } from '../backend';
import type { Hit } from '../bindings/Hit';

export const search = (query: string) => call<Hit[]>('search', { query });
