/**
 * The session: which repository is open, who is acting, and the record's version. Every
 * screen reloads (quietly) when `version` moves: `main` moved, or the acting member changed.
 */
import { toBackendError, type BackendError } from '../backend';
import type { OpenedRepo } from '../bindings/OpenedRepo';
import type { RecentRepo } from '../bindings/RecentRepo';
import type { IdentityView } from '../bindings/IdentityView';
import * as repository from '../services/repository';
import * as people from '../services/people';
import { onProgress, onRecordChanged } from '../services/events';
import { router } from './router.svelte';
import { progress } from './progress.svelte';
import { toasts } from './toasts.svelte';
import { verification } from './verify.svelte';
import { startup } from './startup.svelte';

class Session {
  /** False until `app_start` has answered. */
  started = $state(false);
  repo = $state<OpenedRepo | null>(null);
  recent = $state<RecentRepo[]>([]);
  /** Why the repository asked for at start could not be opened. */
  startError = $state<BackendError | null>(null);
  identity = $state<IdentityView | null>(null);
  /** The tip of `main` last heard of. */
  head = $state<string | null>(null);
  /** Moves whenever what screens show may have changed. */
  version = $state(0);
  /** Stops listening to the backend's events; set while listening. */
  #unlisten: (() => void) | null = null;

  /** Starts the session: listens to the backend's events and opens what `app_start` says. */
  async start(): Promise<void> {
    this.#listen();
    try {
      const info = await repository.appStart();
      startup.mark('app_start answered');
      this.recent = info.recent;
      this.startError = info.error ? toBackendError(info.error) : null;
      if (info.opened) {
        await this.opened(info.opened);
        if (info.error) toasts.error('The repository asked for could not be opened', info.error.message, info.error.code);
      } else router.reset({ screen: 'repository' });
    } catch (reason) {
      this.startError = toBackendError(reason);
      router.reset({ screen: 'repository' });
    } finally {
      this.started = true;
    }
  }

  /** Stops listening to the backend's events and drops pending timers (the app is unmounted). */
  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
    verification.reset();
    progress.settle();
  }

  #listen(): void {
    if (this.#unlisten) return;
    const subscriptions = [
      onRecordChanged((e) => {
        if (e.head === this.head) return;
        this.head = e.head;
        this.version++;
        void this.refreshIdentity();
        verification.schedule();
      }),
      onProgress((e) => progress.update(e)),
    ];
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      // Each listener is released once it is registered, even if that happens after `stop`.
      for (const s of subscriptions) void s.then((unlisten) => unlisten()).catch(() => undefined);
    };
    this.#unlisten = stop;
    // Without a backend (a bare browser) there is nothing to listen to; a later start tries again.
    void Promise.all(subscriptions).catch(() => {
      stop();
      if (this.#unlisten === stop) this.#unlisten = null;
    });
  }

  /** A repository was opened (or created, or cloned): start over on its board. */
  async opened(repo: OpenedRepo): Promise<void> {
    progress.settle();
    // The board first: what scans the whole history waits until it has been painted.
    startup.hold();
    this.repo = repo;
    this.head = repo.head;
    this.startError = null;
    this.identity = null;
    this.version++;
    router.reset({ screen: 'board' });
    verification.reset();
    // In the background, once the board is on screen: the banner appears if the record's
    // history has findings.
    startup.afterPaint(() => verification.schedule(0));
    await Promise.all([this.refreshIdentity(), this.refreshRecent()]);
  }

  async refreshIdentity(): Promise<void> {
    if (!this.repo) return;
    try {
      this.identity = await people.identity();
    } catch {
      // The Identity screen shows the error itself; the chip just stays as it was.
    }
  }

  async refreshRecent(): Promise<void> {
    try {
      this.recent = await repository.recentRepositories();
    } catch {
      // Recent folders are a convenience.
    }
  }

  /** Acts as another member (or as git config says, with null). */
  async chooseMember(member: string | null): Promise<IdentityView> {
    const view = await people.chooseMember(member);
    this.identity = view;
    this.version++;
    void this.refreshRecent();
    return view;
  }
}

export const session = new Session();
