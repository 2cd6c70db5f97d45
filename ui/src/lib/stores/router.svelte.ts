/**
 * Client-side routing: one `$state` location, a back stack, no library. Screens read
 * `router.location`; links call `router.go(...)`.
 */
import type { DocumentKind } from '../services/record';
import type { HistoryChoice } from '../logic/history';

export type Location =
  | { screen: 'board' }
  | { screen: 'model'; id: string; gate?: string | null }
  | { screen: 'signoff'; id: string; gate: string }
  | { screen: 'documents'; kind?: DocumentKind; id?: string }
  | { screen: 'history'; filter?: Partial<HistoryChoice> }
  | { screen: 'members' }
  | { screen: 'search'; query?: string }
  /** One evidence file of a model; `path` is relative to the model's folder (`evidence/...`). */
  | { screen: 'evidence'; model: string; path: string }
  | { screen: 'identity' }
  | { screen: 'verify'; kind?: string }
  | { screen: 'proposals' }
  | { screen: 'proposal'; id: string }
  /** The editor: a new proposal, or a revision of `revise` by its author. */
  | { screen: 'proposal-editor'; revise?: string }
  | { screen: 'inbox' }
  | { screen: 'repository' };

export type Screen = Location['screen'];

const MAX_BACK = 50;

/** The screen and the thing it shows, without its selection (gate, filter). */
function screenOf(l: Location): string {
  if (l.screen === 'model' || l.screen === 'proposal') return `${l.screen}:${l.id}`;
  return l.screen;
}

function same(a: Location, b: Location): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

class Router {
  location = $state<Location>({ screen: 'board' });
  /**
   * Whether the current location was reached by going back (Back, or a sign-off returning to
   * its model): only then does a screen return to where it was scrolled; otherwise it opens at its top.
   */
  returned = $state(false);
  #back = $state<Location[]>([]);

  get canGoBack(): boolean {
    return this.#back.length > 0;
  }

  /** Goes to a location; `replace` changes the current one without a back step. */
  go(to: Location, options: { replace?: boolean } = {}): void {
    if (same(to, this.location)) return;
    if (!options.replace) {
      this.#back = [...this.#back.slice(-(MAX_BACK - 1)), this.location];
    }
    this.returned = false;
    this.location = to;
  }

  back(): void {
    const previous = this.#back[this.#back.length - 1];
    if (!previous) return;
    this.#back = this.#back.slice(0, -1);
    this.returned = true;
    this.location = previous;
  }

  /**
   * Leaves the current screen for `to`, as if going back when the previous screen shows the
   * same thing (a sign-off returning to its model), so Back does not lead to it twice.
   */
  leaveTo(to: Location): void {
    const previous = this.#back[this.#back.length - 1];
    if (previous && screenOf(previous) === screenOf(to)) {
      this.#back = this.#back.slice(0, -1);
      this.returned = true;
      this.location = to;
    } else {
      this.go(to, { replace: true });
    }
  }

  /** Forgets where we have been (another repository was opened). */
  reset(to: Location = { screen: 'board' }): void {
    this.#back = [];
    this.returned = false;
    this.location = to;
  }
}

export const router = new Router();
