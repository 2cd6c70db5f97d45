/** Opening, creating and cloning governance repositories. */
import { call } from '../backend';
import type { StartInfo } from '../bindings/StartInfo';
import type { OpenedRepo } from '../bindings/OpenedRepo';
import type { RecentRepo } from '../bindings/RecentRepo';
import type { CreateRequest } from '../bindings/CreateRequest';
import type { WindowMark } from '../bindings/WindowMark';

export const appStart = () => call<StartInfo>('app_start');
export const openRepository = (path: string) => call<OpenedRepo>('open_repository', { path });
export const openSample = () => call<OpenedRepo>('open_sample');
export const createRepository = (request: CreateRequest) => call<OpenedRepo>('create_repository', { request });
export const cloneRepository = (url: string, dir: string) => call<OpenedRepo>('clone_repository', { url, dir });
export const recentRepositories = () => call<RecentRepo[]>('recent_repositories');
/** Tells the shell the first board is on screen (the start-up benchmark's finish line). */
export const uiReady = () => call<null>('ui_ready');
/** The window's marks of the start, written beside the ready file while it is measured. */
export const uiTimeline = (marks: WindowMark[]) => call<null>('ui_timeline', { marks });
