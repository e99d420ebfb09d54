import { describe, expect, it } from 'vitest';
import { ddpRunningAverages, unbiased } from '../../../src/lib/bn/ddp-buffers';

describe("DDP's buffers and BN's running averages", () => {
  // Three steps on two devices: device 0 always sees 1, device 1 always 3; the global batch 2.
  const slices = [
    [1, 3],
    [1, 3],
    [1, 3],
  ];
  const global = [2, 2, 2];
  it('broadcast_buffers=True: every device starts each step from device 0, so device 0 averages only its own slices', () => {
    const history = ddpRunningAverages(slices, global, 'broadcast', 0.5, 0);
    expect(history.map((h) => h[0])).toEqual([0.5, 0.75, 0.875]);
    // Device 1 starts from device 0's value, then adds its own slice once.
    expect(history[2]![1]).toBeCloseTo(0.75 * 0.5 + 1.5, 12);
  });
  it('broadcast_buffers=False: each device its own average; SyncBN: all the global one', () => {
    expect(ddpRunningAverages(slices, global, 'local', 0.5, 0).at(-1)).toEqual([0.875, 2.625]);
    expect(ddpRunningAverages(slices, global, 'sync', 0.5, 0).at(-1)).toEqual([1.75, 1.75]);
  });
  it('unbiased variance divides by n − 1', () => {
    expect(unbiased(2, 4)).toBeCloseTo(8 / 3, 12);
  });
});
