import { bignumber, type BigNumber } from 'mathjs';
import { BnInputError } from './errors';

/**
 * Algorithm 1 in exact decimal arithmetic (mathjs BigNumber, 64 significant digits), every
 * intermediate kept, for the widgets that show the arithmetic and to cross-check tfjs's float32.
 * Inputs are taken as the decimals they print as (String(0.1) is "0.1"), so a typed batch is
 * traced exactly; results are exact whenever they terminate within 64 digits (√ rarely does).
 */
type Big = BigNumber;
// mathjs's default instance computes BigNumbers to 64 significant digits.

export const MAX_BATCH = 4096;

export interface TraceValue {
  /** Decimal string with up to 64 significant digits. */
  exact: string;
  value: number;
}

export interface BatchTrace {
  m: number;
  x: TraceValue[];
  sum: TraceValue;
  mean: TraceValue;
  deviations: TraceValue[];
  squaredDeviations: TraceValue[];
  varianceBiased: TraceValue;
  varianceUnbiased: TraceValue;
  variancePlusEps: TraceValue;
  std: TraceValue;
  normalized: TraceValue[];
  output: TraceValue[];
}

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

const big = (v: number | string): Big => bignumber(String(v));
const tv = (b: Big): TraceValue => ({ exact: b.toString(), value: b.toNumber() });

export interface TraceParams {
  gamma: number;
  beta: number;
  eps: number;
}

export function traceBatchNorm(values: number[], p: TraceParams): BatchTrace {
  if (values.length < 2) throw new BnInputError('A batch of one value has zero variance, so every normalized output would be 0: type at least two numbers.');
  if (values.length > MAX_BATCH) throw new BnInputError(`The batch has ${values.length} values; the most this page traces is ${MAX_BATCH}.`);
  for (const v of [...values, p.gamma, p.beta, p.eps]) {
    if (!Number.isFinite(v)) throw new BnInputError(`Every value must be finite; got ${v}.`);
  }
  if (p.eps <= 0) throw new BnInputError(`epsilon must be greater than 0; got ${p.eps}.`);
  const x = values.map(big);
  const m = big(x.length);
  const sum = x.reduce((a, b) => a.plus(b), big(0));
  const mean = sum.div(m);
  const deviations = x.map((v) => v.minus(mean));
  const squared = deviations.map((d) => d.times(d));
  const squaredSum = squared.reduce((a, b) => a.plus(b), big(0));
  const varianceBiased = squaredSum.div(m);
  const varianceUnbiased = squaredSum.div(m.minus(1));
  const variancePlusEps = varianceBiased.plus(big(p.eps));
  const std = variancePlusEps.sqrt();
  const normalized = deviations.map((d) => d.div(std));
  const output = normalized.map((n) => n.times(big(p.gamma)).plus(big(p.beta)));
  return {
    m: x.length,
    x: x.map(tv),
    sum: tv(sum),
    mean: tv(mean),
    deviations: deviations.map(tv),
    squaredDeviations: squared.map(tv),
    varianceBiased: tv(varianceBiased),
    varianceUnbiased: tv(varianceUnbiased),
    variancePlusEps: tv(variancePlusEps),
    std: tv(std),
    normalized: normalized.map(tv),
    output: output.map(tv),
  };
}
