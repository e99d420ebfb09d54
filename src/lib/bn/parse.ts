import { BnInputError } from './errors';

/** The most values the step-by-step widgets accept (and trace exactly). */
export const MAX_BATCH = 4096;

/**
 * The largest magnitude a typed value may have. tfjs computes in float32 (max ≈ 3.4e38), and the
 * variance squares deviations and sums up to MAX_BATCH of them: 4096 · (2e15)² stays far below it.
 */
export const MAX_MAGNITUDE = 1e15;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const NOT_FINITE = /^[+-]?(nan|inf(inity)?)$/i;

/** Typed text comes back in messages: cut it short so a pasted essay does not fill the page. */
const shown = (token: string): string => (token.length > 24 ? `${token.slice(0, 24)}…` : token);

/**
 * Checks one token is a plain decimal (no hex, no NaN/Infinity, nothing Number() would quietly
 * accept such as "" or "0x10") and returns its float64 value. `label` names the field in the
 * message; batch tokens go without one, so the message leads with the token itself.
 */
export function readDecimal(token: string, label?: string): number {
  const prefix = label === undefined ? '' : `${label}: `;
  if (NOT_FINITE.test(token)) throw new BnInputError(`${prefix}"${shown(token)}" is not a finite number: normalization needs real values.`);
  if (!DECIMAL.test(token)) throw new BnInputError(`${prefix}"${shown(token)}" is not a number.`);
  const value = Number(token);
  if (!Number.isFinite(value)) throw new BnInputError(`${prefix}"${shown(token)}" is too large to represent.`);
  if (Math.abs(value) > MAX_MAGNITUDE) {
    throw new BnInputError(`${prefix}"${shown(token)}" is beyond ±1e15: the page computes in 32-bit floats, where the squares in the variance of such values overflow.`);
  }
  return value;
}

/** Reads one typed number (γ, β, ε, an example); `name` labels the message. */
export function parseNumber(text: string, name: string): number {
  const token = text.trim();
  if (token === '') throw new BnInputError(`${name} is empty: enter a number.`);
  return readDecimal(token, name);
}

/** Splits on commas and whitespace (newlines included); empty pieces from ", ," are dropped. */
export const batchTokens = (text: string): string[] => text.split(/[\s,]+/).filter((t) => t !== '');

export const ONE_VALUE_MESSAGE = 'A batch of one value has zero variance, so every normalized output would be 0: type at least two numbers.';

/**
 * Reads a mini-batch typed as numbers separated by commas, spaces or newlines. Errors name the
 * offending token, so the reader knows what to fix.
 */
export function parseBatch(text: string): number[] {
  const tokens = batchTokens(text);
  if (tokens.length === 0) throw new BnInputError('The batch is empty: type at least two numbers, separated by commas or spaces.');
  if (tokens.length > MAX_BATCH) throw new BnInputError(`The batch has ${tokens.length} values; the most this page traces is ${MAX_BATCH}.`);
  const values = tokens.map((token) => readDecimal(token));
  if (values.length === 1) throw new BnInputError(ONE_VALUE_MESSAGE);
  return values;
}

/** 2⁻¹²⁶: tensors are float32, whose subnormals some backends flush to zero. */
const FLOAT32_MIN_NORMAL = 2 ** -126;

export function checkEps(eps: number): void {
  if (!Number.isFinite(eps) || eps <= 0) {
    throw new BnInputError(`epsilon must be a finite number greater than 0 (it keeps 1/√(σ²+ε) finite when a batch has zero variance); got ${eps}.`);
  }
  // Below float32's smallest normal number ε is flushed to 0 in the kernels, and a constant batch gives 0/0.
  if (eps < FLOAT32_MIN_NORMAL) {
    throw new BnInputError(`epsilon ${eps} is below 1.2e-38, the smallest normal 32-bit float: tfjs would compute with ε = 0.`);
  }
}

/** Reads a typed ε: a plain number that is usable as ε in float32 (see checkEps). */
export function parseEpsilon(text: string): number {
  const eps = parseNumber(text, 'epsilon');
  checkEps(eps);
  return eps;
}
