/** The app's navigation and keyboard shortcuts, listed once for the sidebar, the keys and the help. */
import type { Screen } from '../stores/router.svelte';

export interface NavItem {
  screen: Screen;
  label: string;
  /** The digit with Alt. */
  key: string;
  icon: 'board' | 'doc' | 'history' | 'people' | 'search' | 'user' | 'folder' | 'shield' | 'scale' | 'inbox';
}

export const NAV: readonly NavItem[] = [
  { screen: 'board', label: 'Board', key: '1', icon: 'board' },
  { screen: 'documents', label: 'Policies', key: '2', icon: 'doc' },
  { screen: 'history', label: 'History', key: '3', icon: 'history' },
  { screen: 'members', label: 'Members', key: '4', icon: 'people' },
  { screen: 'search', label: 'Search', key: '5', icon: 'search' },
  { screen: 'identity', label: 'Identity', key: '6', icon: 'user' },
  { screen: 'repository', label: 'Repository', key: '7', icon: 'folder' },
  { screen: 'verify', label: 'Verify', key: '8', icon: 'shield' },
  { screen: 'proposals', label: 'Proposals', key: '9', icon: 'scale' },
  { screen: 'inbox', label: 'Waiting on me', key: '0', icon: 'inbox' },
];

export const SHORTCUTS: readonly { keys: string[]; what: string }[] = [
  {
    keys: ['Alt', '1 … 9, 0'],
    what: 'Go to Board, Policies, History, Members, Search, Identity, Repository, Verify, Proposals, Waiting on me',
  },
  { keys: ['/'], what: 'Search' },
  { keys: ['Ctrl', 'K'], what: 'Search, from anywhere' },
  { keys: ['Alt', '←'], what: 'Back' },
  { keys: ['←', '↑', '→', '↓'], what: 'Move between model cards on the board' },
  { keys: ['Enter'], what: 'Open the focused card or result' },
  { keys: ['Esc'], what: 'Close a panel or cancel a sign-off' },
  { keys: ['?'], what: 'This help' },
];

/** The nav item for Alt+digit, if any. */
export function navForDigit(key: string): NavItem | undefined {
  return NAV.find((n) => n.key === key);
}

/** Whether a key event started in a place where typing means typing. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return !!el.closest('input, textarea, select, [contenteditable="true"]');
}
