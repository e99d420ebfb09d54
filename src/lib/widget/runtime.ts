/**
 * The one widget runtime. A widget supplies its schema and a draw function; the runtime owns
 * what every widget repeats: the state read from the URL (bad link values reported, defaults
 * kept), the controls set from it, validation of the reader's input (the problem shown next to
 * the field, the last good result kept), one redraw per animation frame, the update counter
 * tests read (`data-updates`), the URL written after each change, listeners, and tensors freed
 * on cleanup.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { paramsIn, writeParams } from '../state/url';
import { frameScheduler, need } from './dom';
import { touchedBeforeMount, type Cleanup } from './lazy';
import { nextSeed, readValue, stateFromParams, stateToParams, type ParamSpecs, type State, type WidgetSchema } from './schema';

/** Thrown by a draw function when a value the reader typed cannot be used; names the field. */
export class FieldProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** What changed since the last draw: `all` on the first draw and after a resize. */
export interface Changes<P extends ParamSpecs> {
  all: boolean;
  has(key: keyof P): boolean;
}

export interface WidgetContext<P extends ParamSpecs> {
  readonly root: HTMLElement;
  /** The last valid state; draw functions read it, actions change it through `set`. */
  readonly state: Readonly<State<P>>;
  /** Changes state (and the controls showing it) as if the reader had, and schedules a draw. */
  set(values: Partial<State<P>>): void;
  /** Schedules a full redraw in the next frame. */
  redraw(): void;
  /** An element of the widget; throws when the shell lacks it. */
  el<T extends Element = HTMLElement>(selector: string): T;
  /** A readout: `<output data-out="name">`. */
  out(name: string): HTMLOutputElement;
  /** Tensors freed when the widget is removed. */
  keep<T extends Tensor | Tensor[]>(tensors: T): T;
}

export interface WidgetImpl<P extends ParamSpecs> {
  /** Computes and draws the state; throws FieldProblem for input it cannot use. */
  draw(state: Readonly<State<P>>, changes: Changes<P>): void;
  /** Handlers for `[data-action="…"]` buttons; `resample` is built in for widgets with a seed. */
  actions?: Record<string, () => void>;
  /** Called when the reader changes a control, before the draw (e.g. to move a dependent default). */
  onInput?(key: keyof P): void;
  /** Redraw everything when this element's width changes. */
  resizes?: HTMLElement;
  /** Draw at mount (default); demonstrations that wait for a click say false. */
  drawOnMount?: boolean;
  dispose?(): void;
}

export type WidgetSetup<P extends ParamSpecs> = (ctx: WidgetContext<P>) => WidgetImpl<P> | Promise<WidgetImpl<P>>;

type Control = HTMLInputElement | HTMLSelectElement;
const NOT_UPDATED = 'The result below is from the last valid input.';

export async function mountWidget<P extends ParamSpecs>(root: HTMLElement, schema: WidgetSchema<P>, setup: WidgetSetup<P>): Promise<Cleanup> {
  const prefix = root.dataset.prefix ?? schema.prefix;
  const keys = Object.keys(schema.params) as Array<keyof P & string>;
  const link = stateFromParams(schema, paramsIn(location.search, prefix));
  const state = link.state;
  let linkNote = link.problems.join(' ');
  const alertRegion = need<HTMLElement>(root, '[data-widget-error]');
  const kept: Tensor[] = [];

  const controls = (key: string): Control[] => Array.from(root.querySelectorAll<Control>(`[name="${key}"]`));
  /** Sets the controls and display of `key` from state; `typing` (the control the reader is typing in) keeps its text. */
  const showValue = (key: keyof P & string, typing?: Control): void => {
    const spec = schema.params[key]!;
    const value = state[key] as unknown;
    for (const c of controls(key)) {
      if (c === typing) continue;
      if (c instanceof HTMLInputElement && c.type === 'checkbox') c.checked = value === true;
      else if (c instanceof HTMLInputElement && c.type === 'radio') c.checked = c.value === value;
      else c.value = String(value);
    }
    const display = root.querySelector(`[data-display="${key}"]`);
    if (display && spec.kind === 'number') display.textContent = spec.display ? spec.display(value as number) : String(value);
  };

  // Problems with what the reader typed (per field) and with what the draw was given.
  const inputProblems = new Map<string, string>();
  let drawProblem: FieldProblem | null = null;
  const showProblems = (): void => {
    const fields = new Map(inputProblems);
    if (drawProblem && !fields.has(drawProblem.field)) fields.set(drawProblem.field, drawProblem.message);
    for (const key of keys) {
      const message = fields.get(key) ?? null;
      for (const c of controls(key)) {
        if (message) c.setAttribute('aria-invalid', 'true');
        else c.removeAttribute('aria-invalid');
      }
      const own = root.querySelector(`[data-error-for="${key}"]`);
      if (own) own.textContent = message ?? '';
    }
    const summary = fields.size ? `Not updated: ${[...fields.values()].join(' ')} ${NOT_UPDATED}` : '';
    alertRegion.textContent = [summary, linkNote].filter(Boolean).join(' ');
  };

  const changed = new Set<keyof P>();
  let everything = true;
  let writeLink = false;
  let impl: WidgetImpl<P> | undefined;

  const draw = (): void => {
    if (!impl || inputProblems.size) return;
    const changes: Changes<P> = { all: everything, has: (k) => everything || changed.has(k) };
    try {
      impl.draw(state, changes);
      drawProblem = null;
    } catch (err) {
      if (!(err instanceof FieldProblem)) throw err;
      drawProblem = err;
    }
    showProblems();
    if (drawProblem) return;
    changed.clear();
    everything = false;
    root.dataset.updates = String(Number(root.dataset.updates ?? 0) + 1);
    if (writeLink) {
      writeLink = false;
      writeParams(prefix, stateToParams(schema, state));
    }
  };
  const frame = frameScheduler(draw);

  const set = (values: Partial<State<P>>): void => {
    for (const [key, value] of Object.entries(values) as Array<[keyof P & string, State<P>[keyof P]]>) {
      state[key] = value;
      inputProblems.delete(key);
      changed.add(key);
      showValue(key);
    }
    writeLink = true;
    frame.schedule();
  };

  const ctx: WidgetContext<P> = {
    root,
    state,
    set,
    redraw: () => {
      everything = true;
      frame.schedule();
    },
    el: <T extends Element>(selector: string) => need<T>(root, selector),
    out: (name) => need<HTMLOutputElement>(root, `[data-out="${name}"]`),
    keep: (tensors) => {
      kept.push(...(Array.isArray(tensors) ? tensors : [tensors]));
      return tensors;
    },
  };

  // Text the reader typed while the widget loaded stays, and is read as input below.
  const early = touchedBeforeMount.get(root) ?? new Set<string>();
  for (const key of keys) if (!early.has(key)) showValue(key);
  try {
    impl = await setup(ctx);
  } catch (err) {
    for (const t of kept) t.dispose();
    throw err;
  }
  const widget = impl;

  const onInput = (event: Pick<Event, 'target'>): void => {
    const control = event.target as Control;
    const key = control.name as keyof P & string;
    const spec = schema.params[key];
    if (!spec || !root.contains(control)) return;
    linkNote = '';
    const raw = control instanceof HTMLInputElement && control.type === 'checkbox' ? (control.checked ? '1' : '0') : control.value;
    const read = readValue(spec, raw);
    const message = 'value' in read ? (spec.kind === 'text' ? (spec.check?.(read.value as string) ?? null) : null) : `${'label' in spec ? spec.label : key} must be ${read.expected}.`;
    if (message) {
      inputProblems.set(key, message);
      showProblems();
      return;
    }
    inputProblems.delete(key);
    state[key] = (read as { value: State<P>[typeof key] }).value;
    changed.add(key);
    // "2.0" on the way to "2.05" reads as 2: the field keeps what is typed, its display and twins follow.
    if (spec.kind === 'number') showValue(key, control);
    widget.onInput?.(key);
    writeLink = true;
    frame.schedule();
  };
  const onClick = (event: Event): void => {
    const button = (event.target as HTMLElement).closest<HTMLElement>('[data-action]');
    if (!button || !root.contains(button)) return;
    const name = button.dataset.action!;
    const action = widget.actions?.[name];
    if (action) action();
    else if (name === 'resample' && 'seed' in schema.params) set({ seed: nextSeed(state.seed as number) } as Partial<State<P>>);
  };
  const resize = widget.resizes ? new ResizeObserver(() => ctx.redraw()) : undefined;
  // `input` covers typing and dragging; selects, radios and checkboxes also fire it.
  root.addEventListener('input', onInput);
  root.addEventListener('click', onClick);
  if (widget.resizes) resize!.observe(widget.resizes);

  // Link values for text fields go through the same check as typing.
  for (const key of keys) {
    const spec = schema.params[key]!;
    const message = spec.kind === 'text' ? (spec.check?.(state[key] as string) ?? null) : null;
    if (message) inputProblems.set(key, message);
  }
  for (const key of early) {
    const control = controls(key).find((c) => !(c instanceof HTMLInputElement && c.type === 'radio' && !c.checked));
    if (control) onInput({ target: control });
  }
  showProblems();
  if (widget.drawOnMount !== false) draw();
  return () => {
    frame.cancel();
    resize?.disconnect();
    root.removeEventListener('input', onInput);
    root.removeEventListener('click', onClick);
    widget.dispose?.();
    for (const t of kept) t.dispose();
  };
}
