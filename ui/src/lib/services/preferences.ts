/** The app's own preferences (`preferences.json` in its data folder). */
import { call } from '../backend';
import type { CompositingChoice } from '../bindings/CompositingChoice';
import type { PreferencesView } from '../bindings/PreferencesView';

export const preferences = () => call<PreferencesView>('preferences');
export const setCompositing = (choice: CompositingChoice) => call<PreferencesView>('set_compositing', { choice });
