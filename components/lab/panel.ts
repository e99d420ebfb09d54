import type { LabState } from './state';

/**
 * One part of the lab page, drawn from the lab's state. `render` runs after every change, with
 * the state before it (`prev`, absent on the first render) so a panel redraws only what changed.
 * Panels read nothing back from the page: what they need is in the state or in their own closure.
 */
export interface Panel {
  render(state: LabState, prev?: LabState): void;
  dispose?(): void;
}
