/** Light, dark, or as the system says; kept in localStorage, applied as `data-theme` on <html>. */

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'gatehouse.theme';

function read(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

function apply(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}

class Theme {
  choice = $state<ThemeChoice>('system');

  init(): void {
    this.choice = read();
    apply(this.choice);
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    apply(choice);
    try {
      if (choice === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      // Storage may be unavailable; the choice still holds for this session.
    }
  }

  /** system → light → dark → system. */
  cycle(): void {
    this.set(this.choice === 'system' ? 'light' : this.choice === 'light' ? 'dark' : 'system');
  }
}

export const theme = new Theme();
