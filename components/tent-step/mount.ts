import { formatNumber, formatPercent } from '../../src/lib/widget/dom';
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
      network
        .compute({ task: 'tent', kind: ctx.state.shift, strength: ctx.state.strength })
        .then((r) => {
          if (r.task !== 'tent' || id !== requested) return;
          ctx.out('stored').value = formatPercent(r.stored);
          ctx.out('prediction').value = formatPercent(r.predictionTime);
          ctx.out('tent').value = formatPercent(r.afterStep);
          ctx.out('entropy-before').value = formatNumber(r.entropyBefore, 4);
          ctx.out('entropy-after').value = formatNumber(r.entropyAfter, 4);
          root.dataset.result = String(id);
        })
        .catch((err: unknown) => (ctx.out('tent').value = `failed: ${err instanceof Error ? err.message : String(err)}`));
    };

    const controls = bindNetworkControls(root, network, (state) => {
      ready = state.phase === 'ready';
      if (ready && state.generation !== generation) {
        generation = state.generation;
        evaluate();
      }
    });

    return {
      drawOnMount: false,
      draw(_state, changes) {
        if (changes.has('shift') || changes.has('strength')) evaluate();
      },
      actions: controls.actions,
      dispose: controls.dispose,
    };
  });
