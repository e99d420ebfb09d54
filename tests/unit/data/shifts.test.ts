import { beforeAll, describe, expect, it } from 'vitest';
import { applyShift, gaussianKernel } from '../../../src/lib/data/shifts';
import { close, expectNoLeak, tf, useCpu } from '../bn/setup';

beforeAll(useCpu);

const pixels = Array.from({ length: 2 * 784 }, (_, i) => ((i * 37) % 101) / 100);
const images = () => tf.tensor2d(pixels, [2, 784]);

describe('test-image shifts', () => {
  it('strength 0 leaves the images unchanged', () => {
    for (const kind of ['brightness', 'invert', 'blur', 'noise'] as const) close(applyShift(images(), kind, 0, 1).dataSync(), pixels, 1e-6);
  });

  it('inversion at strength 1 is 1 − x, and 0.5 a flat grey', () => {
    close(applyShift(images(), 'invert', 1, 1).dataSync(), pixels.map((p) => 1 - p), 1e-6);
    close(applyShift(images(), 'invert', 0.5, 1).dataSync(), pixels.map(() => 0.5), 1e-6);
  });

  it('brightness adds the offset and clips at white', () => {
    close(applyShift(images(), 'brightness', 0.3, 1).dataSync(), pixels.map((p) => Math.min(1, p + 0.3)), 1e-6);
  });

  it('blur is a normalized Gaussian: a flat image stays flat away from the border', () => {
    expect(gaussianKernel(1.5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const flat = applyShift(tf.fill([1, 784], 0.4) as tf.Tensor2D, 'blur', 0.5, 1).dataSync();
    expect(flat[14 * 28 + 14]).toBeCloseTo(0.4, 5);
    expect(flat[0]).toBeLessThan(0.4);
  });

  it('noise is seeded, stays in [0, 1], and leaks nothing', () => {
    const a = applyShift(images(), 'noise', 0.8, 5).dataSync();
    close(applyShift(images(), 'noise', 0.8, 5).dataSync(), a, 0);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    const x = images();
    expectNoLeak(() => applyShift(x, 'blur', 1, 1));
    x.dispose();
    expect(() => applyShift(images(), 'noise', 1.5, 1)).toThrow();
  });
});
