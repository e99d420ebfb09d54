/**
 * What happens to BN's running averages under PyTorch's DistributedDataParallel (DDP), one
 * channel, PyTorch's rule r ← (1 − m)·r + m·s with s the statistic a device normalized with:
 * - 'broadcast' (DDP's default broadcast_buffers=True): at the start of every forward pass each
 *   device's buffers are overwritten with device 0's, then each updates from its own slice; so
 *   device 0's running average (what a checkpoint saves) only ever sees device 0's slices.
 * - 'local' (broadcast_buffers=False): each device keeps its own average of its own slices.
 * - 'sync' (SyncBatchNorm): every device normalizes with, and averages, the global batch's statistic.
 */
export type BufferMode = 'broadcast' | 'local' | 'sync';

/**
 * Every device's running average after each step. `slices[t][k]` is device k's statistic at step
 * t, `global[t]` the whole batch's; all devices start from `initial`.
 */
export function ddpRunningAverages(slices: readonly (readonly number[])[], global: readonly number[], mode: BufferMode, momentum: number, initial: number): number[][] {
  const devices = slices[0]?.length ?? 0;
  let buffers = new Array<number>(devices).fill(initial);
  return slices.map((perDevice, t) => {
    const start = mode === 'broadcast' ? buffers.map(() => buffers[0]!) : buffers;
    buffers = start.map((r, k) => (1 - momentum) * r + momentum * (mode === 'sync' ? global[t]! : perDevice[k]!));
    return buffers;
  });
}

/** The unbiased variance PyTorch puts in the running average, from a biased one over n values. */
export const unbiased = (biased: number, n: number): number => (biased * n) / (n - 1);
