/** Window-wide UI state: the help overlay, and requests to focus the search box. */
class Ui {
  help = $state(false);
  /** Moves when something asks the search box to take focus. */
  searchFocus = $state(0);
  /** The last query searched for, offered again when Search is opened without one. */
  lastSearch = $state('');
}

export const ui = new Ui();
