/** The preferences' words: what each choice means on this machine, and when it applies. */
import type { CompositingChoice } from '../bindings/CompositingChoice';
import type { PreferencesView } from '../bindings/PreferencesView';

const onOff = (on: boolean) => (on ? 'on' : 'off');

/** The choices, in the order offered, each with its label on this machine. */
export function compositingOptions(view: PreferencesView): { value: CompositingChoice; label: string }[] {
  return [
    { value: 'auto', label: `As this machine suggests (${onOff(view.machine_default)}: ${view.machine_reason})` },
    { value: 'on', label: 'On (uses the GPU; more memory without one)' },
    { value: 'off', label: 'Off (less memory; drawn without the GPU)' },
  ];
}

/**
 * When the choice takes effect: WebKit decides before the window exists, so a change applies
 * at the next start; the environment variable, when set, decides instead.
 */
export function compositingNote(view: PreferencesView): string {
  if (view.from_environment) {
    return `WEBKIT_DISABLE_COMPOSITING_MODE is set in the app's environment: it decides (compositing is ${onOff(view.this_run)}), whatever is chosen here.`;
  }
  if (view.next_start !== view.this_run) {
    return `Applies at the next start of the app: compositing is ${onOff(view.this_run)} until then, ${onOff(view.next_start)} after.`;
  }
  return `Compositing is ${onOff(view.this_run)} now. A change applies at the next start of the app.`;
}
