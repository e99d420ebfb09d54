import { BnInputError } from './errors';

/** The most values the step-by-step widgets accept (and trace exactly). */
export const MAX_BATCH = 4096;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads one typed number (γ, β, ε, an example); `name` labels the message. */
export function parseNumber(text: string, name: string): number {
  const token = text.trim();
  const shown = token.length > 24 ? `${token.slice(0, 24)}…` : token;
  if (token === '') throw new BnInputError(`${name} is empty: enter a number.`);
  if (/^[+-]?(nan|inf(inity)?)$/i.test(token)) throw new BnInputError(`${name} must be a finite number, not ${shown}.`);
  if (!NUMBER.test(token)) throw new BnInputError(`${name}: "${shown}" is not a number.`);
  const value = Number(token);
  if (!Number.isFinite(value)) throw new BnInputError(`${name}: "${shown}" is too large to represent.`);
  return value;
}

/**
 * Reads a mini-batch typed as numbers separated by commas, spaces or newlines. Errors name the
 * offending token, so the reader knows what to fix.
 */
export function parseBatch(text: string): number[] {
  const tokens = text.split(/[\s,;]+/).filter((t) => t !== '');
  if (tokens.length === 0) throw new BnInputError('The batch is empty: type at least two numbers, separated by commas or spaces.');
  if (tokens.length > MAX_BATCH) throw new BnInputError(`The batch has ${tokens.length} values; the most this page traces is ${MAX_BATCH}.`);
  const values = tokens.map((token) => {
    const shown = token.length > 24 ? `${token.slice(0, 24)}…` : token;
    if (/^[+-]?(nan|inf(inity)?)$/i.test(token)) throw new BnInputError(`"${shown}" is not a finite number: BN needs real values to average.`);
    if (!NUMBER.test(token)) throw new BnInputError(`"${shown}" is not a number.`);
    const value = Number(token);
    if (!Number.isFinite(value)) throw new BnInputError(`"${shown}" is too large to represent.`);
    return value;
  });
  if (values.length === 1) {
    throw new BnInputError('A batch of one value has zero variance, so every normalized output would be 0: type at least two numbers.');
  }
  return values;
}
