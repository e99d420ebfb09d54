/**
 * The widget contract's client half. A widget's `.astro` shell renders real controls and a
 * build-time result; its custom element is defined with `defineLazyWidget` (by the widget frame's
 * script, frame.ts, or by the lab's and code cells' own), so the heavy implementation (tfjs, Plot,
 * mathjs, KaTeX) is imported only when the element comes near the viewport.
 * The implementation's `mount` returns a cleanup that frees tensors and listeners on removal.
 */
export type Cleanup = () => void;
export type Mount = (root: HTMLElement) => Cleanup | Promise<Cleanup>;

const NEAR_VIEWPORT = '400px 0px';

/**
 * The controls (by name) a reader changed while their widget was still loading. The runtime
 * keeps what they typed and takes it as input once it listens, instead of losing it.
 */
export const touchedBeforeMount = new WeakMap<HTMLElement, Set<string>>();

export function defineLazyWidget(tag: string, load: () => Promise<{ mount: Mount }>): void {
  if (customElements.get(tag)) return;
  customElements.define(
    tag,
    class extends HTMLElement {
      #observer: IntersectionObserver | undefined;
      #cleanup: Cleanup | undefined;
      #connected = false;
      #touched = new Set<string>();
      #record = (event: Event): void => {
        const name = (event.target as Element).getAttribute('name');
        if (name) this.#touched.add(name);
      };

      connectedCallback(): void {
        this.#connected = true;
        touchedBeforeMount.set(this, this.#touched);
        this.addEventListener('input', this.#record);
        this.#observer = new IntersectionObserver(
          (entries) => {
            if (!entries.some((e) => e.isIntersecting)) return;
            this.#observer?.disconnect();
            void this.#start();
          },
          { rootMargin: NEAR_VIEWPORT },
        );
        this.#observer.observe(this);
      }

      disconnectedCallback(): void {
        this.#connected = false;
        this.#observer?.disconnect();
        this.#cleanup?.();
        this.#cleanup = undefined;
      }

      async #start(): Promise<void> {
        this.dataset.state = 'loading';
        try {
          const { mount } = await load();
          if (!this.#connected) return;
          this.#cleanup = await mount(this);
          this.removeEventListener('input', this.#record);
          this.dataset.state = 'ready';
        } catch (err) {
          this.dataset.state = 'failed';
          const note = this.querySelector<HTMLElement>('[data-widget-error]');
          const message = err instanceof Error ? err.message : String(err);
          if (note) note.textContent = `This widget could not start: ${message}`;
          console.error(err);
        }
      }
    },
  );
}
