/**
 * The drawing pad: strokes by mouse, touch or pen (Pointer Events), Clear, and a test digit
 * placed into it; every change is turned into the 28×28 MNIST input (digit-preprocess.ts) and
 * shown in the preview. Knows nothing of the networks: it reports the input to `onInput`.
 */
import { MNIST_SIDE, toMnistInput } from '../../src/lib/data/digit-preprocess';

export interface DigitPad {
  /** The current 28×28 input (0..1), or null for an empty pad. */
  input(): Float32Array | null;
  /** Puts a 28×28 image (pixels 0..255) into the pad, as if drawn. */
  place(pixels: ArrayLike<number>): void;
  clear(): void;
  dispose(): void;
}

const INK_RGB = [17, 17, 17] as const;
const INK = `rgb(${INK_RGB.join(', ')})`;

/** Draws a 28×28 digit into a 28×28 canvas: ink (0..255 each) as the opacity of dark ink on the canvas's white. */
export function drawDigit(canvas: HTMLCanvasElement, ink: ArrayLike<number>): void {
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(MNIST_SIDE, MNIST_SIDE);
  for (let i = 0; i < MNIST_SIDE * MNIST_SIDE; i++) image.data.set([...INK_RGB, ink[i]!], i * 4);
  ctx.clearRect(0, 0, MNIST_SIDE, MNIST_SIDE);
  ctx.putImageData(image, 0, 0);
}
/** A stroke about as wide, relative to the digit, as MNIST's pen strokes. */
const STROKE_FRACTION = 1 / 13;

export function mountDigitPad(pad: HTMLCanvasElement, preview: HTMLCanvasElement, onInput: (input: Float32Array | null) => void): DigitPad {
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  let current: Float32Array | null = null;
  let last: { x: number; y: number } | null = null;
  let drawing: number | null = null;

  /** A pointer's position in the canvas's own pixels, whatever its CSS size. */
  const at = (e: PointerEvent) => {
    const r = pad.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * pad.width, y: ((e.clientY - r.top) / r.height) * pad.height };
  };
  // Digits are dark ink on white paper in both themes (CSS gives the canvases a white background);
  // only the ink's opacity is read back.
  const ink = (): string => INK;
  const stroke = (from: { x: number; y: number }, to: { x: number; y: number }): void => {
    ctx.strokeStyle = ink();
    ctx.lineWidth = pad.width * STROKE_FRACTION;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    // A tap draws a dot: a zero-length round-capped line.
    ctx.lineTo(to.x + (from.x === to.x && from.y === to.y ? 0.01 : 0), to.y);
    ctx.stroke();
  };

  /** Reads the pad's ink (alpha) and updates the input and its preview. */
  const update = (): void => {
    const { data, width, height } = ctx.getImageData(0, 0, pad.width, pad.height);
    const values = new Float32Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = data[i * 4 + 3]! / 255;
    current = toMnistInput({ values, width, height });
    drawPreview();
    pad.dataset.empty = String(current === null);
    onInput(current);
  };
  const drawPreview = (): void => {
    drawDigit(preview, Array.from(current ?? new Float32Array(MNIST_SIDE * MNIST_SIDE), (v) => Math.round(v * 255)));
    preview.setAttribute('aria-label', current ? 'The 28×28 input the networks read: your digit scaled to a 20-pixel box and centred by its centre of mass' : 'The 28×28 input: empty');
  };

  const onDown = (e: PointerEvent): void => {
    if (drawing !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    drawing = e.pointerId;
    pad.setPointerCapture(e.pointerId);
    last = at(e);
    stroke(last, last);
  };
  const onMove = (e: PointerEvent): void => {
    if (e.pointerId !== drawing || !last) return;
    const next = at(e);
    stroke(last, next);
    last = next;
  };
  const onUp = (e: PointerEvent): void => {
    if (e.pointerId !== drawing) return;
    drawing = null;
    last = null;
    update();
  };
  pad.addEventListener('pointerdown', onDown);
  pad.addEventListener('pointermove', onMove);
  pad.addEventListener('pointerup', onUp);
  pad.addEventListener('pointercancel', onUp);
  drawPreview();

  return {
    input: () => current,
    place(pixels) {
      const small = document.createElement('canvas');
      small.width = small.height = MNIST_SIDE;
      drawDigit(small, pixels);
      ctx.clearRect(0, 0, pad.width, pad.height);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(small, 0, 0, pad.width, pad.height);
      update();
    },
    clear() {
      ctx.clearRect(0, 0, pad.width, pad.height);
      update();
    },
    dispose() {
      pad.removeEventListener('pointerdown', onDown);
      pad.removeEventListener('pointermove', onMove);
      pad.removeEventListener('pointerup', onUp);
      pad.removeEventListener('pointercancel', onUp);
    },
  };
}
