import { formatPercent } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { bindNetworkControls, practiceNetwork } from '../../src/components/practice-network/network';
import { schema } from './schema';

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, (ctx) => {
    const network = practiceNetwork();
    let ready = false;
    let generation = 0;
    let requested = 0;

    const evaluate = (): void => {
      if (!ready) return;
      const id = ++requested;
      const batchSize = Number(ctx.state.batch);
      network
        .compute({ task: 'sorted', batchSize })
        .then((r) => {
          if (r.task !== 'sorted' || id !== requested) return;
          ctx.out('inference').value = formatPercent(r.inference);
          ctx.out('shuffled').value = formatPercent(r.shuffled);
          ctx.out('sorted').value = formatPercent(r.sorted);
          ctx.out('change').value = `${r.sorted >= r.shuffled ? '+' : '−'}${(100 * Math.abs(r.sorted - r.shuffled)).toFixed(1)} points`;
          root.dataset.result = String(id);
          root.dataset.batch = String(r.batchSize);
        })
        .catch((err: unknown) => (ctx.out('change').value = `failed: ${err instanceof Error ? err.message : String(err)}`));
    };

    const controls = bindNetworkControls(root, network, (state) => {
      ready = state.phase === 'ready';
      // A new network (trained, or the reader's loaded) is evaluated at once.
      if (ready && state.generation !== generation) {
        generation = state.generation;
        evaluate();
      }
    });

    return {
      drawOnMount: false,
      draw(_state, changes) {
        if (changes.has('batch')) evaluate();
      },
      actions: controls.actions,
      dispose: controls.dispose,
    };
  });
