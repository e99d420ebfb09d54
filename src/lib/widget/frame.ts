/**
 * The client half of the widget frame (src/components/widget/WidgetFrame.astro), the one small
 * script every chapter page loads for its widgets: each framed widget element on the page becomes
 * a lazy element (lazy.ts) whose implementation is looked up by tag in ./mounts, a table that is
 * itself imported only when the first widget nears the viewport.
 */
import { defineLazyWidget } from './lazy';

/** The frame's element: the undefined custom element whose child is the frame's figure. */
const FRAMED = ':not(:defined) > figure.widget';

export function defineFramedWidgets(root: ParentNode = document): void {
  for (const figure of root.querySelectorAll(FRAMED)) {
    const tag = figure.parentElement!.localName;
    defineLazyWidget(tag, () => import('./mounts').then(({ loadMount }) => loadMount(tag)));
  }
}
