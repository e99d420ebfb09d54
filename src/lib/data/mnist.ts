import { parseIdx, type IdxArray } from './idx';

export interface MnistSplit {
  /** Pixel bytes, one 28×28 image after another. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}
export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}
export interface LoadProgress {
  loaded: number;
  total: number;
}

interface ManifestEntry {
  file: string;
  gzipBytes: number;
}
type Manifest = Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels' | 'testSample', ManifestEntry>;

const CACHE = 'bn-live-mnist-v1';
export const IMAGE_SIZE = 28 * 28;

/** Fetches through the Cache API so a second visit (or a second run) reads from disk. */
async function cachedFetch(url: string): Promise<Response> {
  if (typeof caches === 'undefined') return fetch(url);
  const cache = await caches.open(CACHE);
  const hit = await cache.match(url);
  if (hit) return hit;
  const response = await fetch(url);
  if (response.ok) await cache.put(url, response.clone());
  return response;
}

/** Streams a gzip file, reporting compressed bytes as they arrive, and returns it decompressed. */
async function fetchGzip(url: string, onBytes: (n: number) => void): Promise<Uint8Array> {
  // Safari before 16.4 lacks it; say so rather than fail on an undefined constructor.
  if (typeof DecompressionStream === 'undefined') throw new Error('this browser cannot unpack the MNIST files (no DecompressionStream; Safari 16.4, Firefox 113 and Chrome 80 have it)');
  const response = await cachedFetch(url);
  if (!response.ok || !response.body) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        onBytes(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
  const plain = counted.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(plain).arrayBuffer());
}

/** Loads the small sample of test images that chapter widgets use as a real population. */
export async function loadMnistSample(baseUrl: string): Promise<{ images: Uint8Array; count: number }> {
  const manifestResponse = await fetch(new URL('/data/mnist.json', baseUrl));
  if (!manifestResponse.ok) throw new Error(`could not load the MNIST manifest: HTTP ${manifestResponse.status}`);
  const manifest = (await manifestResponse.json()) as Manifest;
  const idx = parseIdx(await fetchGzip(new URL(manifest.testSample.file, baseUrl).href, () => undefined));
  return { images: idx.data, count: idx.shape[0]! };
}

/** Loads MNIST's train and test splits from the site's data files, with byte-level progress. */
export async function loadMnist(baseUrl: string, onProgress: (p: LoadProgress) => void): Promise<Mnist> {
  const manifestResponse = await fetch(new URL('/data/mnist.json', baseUrl));
  if (!manifestResponse.ok) throw new Error(`could not load the MNIST manifest: HTTP ${manifestResponse.status}`);
  const manifest = (await manifestResponse.json()) as Manifest;
  const keys = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
  const total = keys.reduce((sum, k) => sum + manifest[k].gzipBytes, 0);
  let loaded = 0;
  const onBytes = (n: number): void => {
    loaded += n;
    onProgress({ loaded, total });
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    keys.map(async (key) =>
      parseIdx(await fetchGzip(new URL(manifest[key].file, baseUrl).href, onBytes)),
    ),
  );
  const split = (images: IdxArray | undefined, labels: IdxArray | undefined): MnistSplit => {
    if (!images || !labels) throw new Error('an MNIST file is missing');
    if (images.shape[0] !== labels.shape[0]) throw new Error('MNIST images and labels disagree in count');
    return { images: images.data, labels: labels.data, count: labels.shape[0]! };
  };
  onProgress({ loaded: total, total });
  return { train: split(trainImages, trainLabels), test: split(testImages, testLabels) };
}
