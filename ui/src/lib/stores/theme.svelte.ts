/**
 * Light, dark, or as the system says. The choice is kept in localStorage; the theme on
 * screen is applied as `data-theme="light|dark"` on <html>, which switches the colour tokens
 * (tokens.css has one dark block). "As the system says" follows `prefers-color-scheme`.
 */

export type ThemeChoice = 'system' | 'light' | 'dark';
export type ThemeName = 'light' | 'dark';

const KEY = 'gatehouse.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

function read(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** The theme shown for a choice, given whether the system prefers dark. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): ThemeName {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

function darkQuery(): MediaQueryList | null {
  return typeof matchMedia === 'function' ? matchMedia(DARK_QUERY) : null;
}

class Theme {
  choice = $state<ThemeChoice>('system');
  /** Whether the system prefers dark, as last heard. */
  systemDark = $state(false);

  /** The theme on screen. */
  get current(): ThemeName {
    return resolveTheme(this.choice, this.systemDark);
  }

  /** Reads the saved choice and applies it; call before the app mounts, so nothing flashes. */
  init(): void {
    this.choice = read();
    this.systemDark = darkQuery()?.matches ?? false;
    this.#apply();
  }

  /** Follows the system's preference; returns the function that stops following. */
  follow(): () => void {
    const query = darkQuery();
    if (!query) return () => undefined;
    const changed = (e: MediaQueryListEvent) => {
      this.systemDark = e.matches;
      this.#apply();
    };
    this.systemDark = query.matches;
    this.#apply();
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    this.#apply();
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

  #apply(): void {
    if (typeof document === 'undefined') return;
    document.documentElement.setAttribute('data-theme', this.current);
  }
}

export const theme = new Theme();
