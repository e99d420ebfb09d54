/**
 * A drawn digit made into an MNIST input the way MNIST itself was made (LeCun, Cortes & Burges,
 * "The MNIST database"): the ink's bounding box scaled to fit a 20×20 box keeping its aspect
 * ratio (area-averaged, so the edges become grey levels), then placed in a 28×28 field so that
 * its centre of mass sits at the field's centre. Pure: no DOM, no tfjs.
 */
export const MNIST_SIDE = 28;
const BOX = 20;
/** Ink below this (0..1) counts as paper when finding the bounding box (canvas antialiasing). */
const INK_THRESHOLD = 0.05;

export interface InkImage {
  /** Ink per pixel in 0..1, row by row. */
  values: ArrayLike<number>;
  width: number;
  height: number;
}

/**
 * The 28×28 input (784 values in 0..1, row by row) for a drawing, or null when nothing is drawn.
 */
export function toMnistInput(image: InkImage): Float32Array | null {
  const box = inkBounds(image);
  if (!box) return null;
  const scale = BOX / Math.max(box.width, box.height);
  const width = Math.max(1, Math.round(box.width * scale));
  const height = Math.max(1, Math.round(box.height * scale));
  const scaled = resampleArea(image, box, width, height);
  const { x: cx, y: cy } = centreOfMass(scaled, width, height);
  // Pixel i covers [i, i+1), so the field's centre is at 14; translate by a fraction of a pixel too.
  return translate(scaled, width, height, MNIST_SIDE / 2 - cx, MNIST_SIDE / 2 - cy);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function inkBounds({ values, width, height }: InkImage): Box | null {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (values[y * width + x]! <= INK_THRESHOLD) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/**
 * Weights mapping `from` source pixels onto `to` target pixels by overlap: target pixel j covers
 * source interval [j·from/to, (j+1)·from/to); each weight is the overlap with source pixel k,
 * divided by the interval's length, so the result is the source's mean over the interval.
 */
function areaWeights(from: number, to: number): Float64Array {
  const w = new Float64Array(to * from);
  const span = from / to;
  for (let j = 0; j < to; j++) {
    const start = j * span;
    const end = start + span;
    for (let k = Math.floor(start); k < Math.min(from, Math.ceil(end)); k++) {
      const overlap = Math.min(end, k + 1) - Math.max(start, k);
      if (overlap > 0) w[j * from + k] = overlap / span;
    }
  }
  return w;
}

/** The box's pixels averaged onto width×height (separable: rows first, then columns). */
function resampleArea(image: InkImage, box: Box, width: number, height: number): Float64Array {
  const wx = areaWeights(box.width, width);
  const wy = areaWeights(box.height, height);
  const rows = new Float64Array(box.height * width);
  for (let y = 0; y < box.height; y++) {
    const src = (box.y + y) * image.width + box.x;
    for (let j = 0; j < width; j++) {
      let sum = 0;
      for (let k = 0; k < box.width; k++) sum += wx[j * box.width + k]! * image.values[src + k]!;
      rows[y * width + j] = sum;
    }
  }
  const out = new Float64Array(height * width);
  for (let i = 0; i < height; i++) {
    for (let y = 0; y < box.height; y++) {
      const w = wy[i * box.height + y]!;
      if (w === 0) continue;
      for (let j = 0; j < width; j++) out[i * width + j] = out[i * width + j]! + w * rows[y * width + j]!;
    }
  }
  return out;
}

/** The centre of mass in continuous coordinates (pixel i spans [i, i+1)). */
export function centreOfMass(values: ArrayLike<number>, width: number, height: number): { x: number; y: number } {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x]!;
      mass += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass } : { x: width / 2, y: height / 2 };
}

/** Places the image into the 28×28 field shifted by (dx, dy), bilinear for the fractional part. */
function translate(values: Float64Array, width: number, height: number, dx: number, dy: number): Float32Array {
  const out = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  const at = (x: number, y: number): number => (x >= 0 && y >= 0 && x < width && y < height ? values[y * width + x]! : 0);
  for (let y = 0; y < MNIST_SIDE; y++) {
    for (let x = 0; x < MNIST_SIDE; x++) {
      // The source position whose pixel lands on (x, y).
      const sx = x - dx;
      const sy = y - dy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const v = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
      out[y * MNIST_SIDE + x] = Math.min(1, Math.max(0, v));
    }
  }
  return out;
}
