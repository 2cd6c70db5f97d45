/** Choices that outlive a screen: the board's filters stay as they were when one comes back. */
import { EMPTY_FILTER, type BoardFilter } from '../logic/board';

export const boardPrefs: { filter: BoardFilter; lastOpened: string | null } = $state({
  filter: { ...EMPTY_FILTER },
  /** The model last opened from the board: its card takes focus when one comes back. */
  lastOpened: null,
});
