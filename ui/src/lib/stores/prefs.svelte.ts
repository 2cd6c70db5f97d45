/** Choices that outlive a screen: the board's filters stay as they were when one comes back. */
import { EMPTY_FILTER, type BoardFilter } from '../logic/board';

export const boardPrefs: { filter: BoardFilter } = $state({ filter: { ...EMPTY_FILTER } });
