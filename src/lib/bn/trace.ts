import { bignumber, type BigNumber } from 'mathjs';
import { BnInputError } from './errors';
import { MAX_BATCH, ONE_VALUE_MESSAGE, readDecimal } from './parse';

/**
 * Algorithm 1 in exact decimal arithmetic, every intermediate kept, for the widgets that show the
 * arithmetic and to cross-check tfjs's float32. mathjs's default instance computes BigNumbers to
 * 64 significant digits. Numbers are taken as the decimals they print as (String(0.1) is "0.1");
 * strings are taken digit for digit, so "0.1000000000000000000001" stays exact. Results are exact
 * whenever they terminate within 64 digits — everything up to σ²+ε for decimal inputs; the square
 * root and what divides by it rarely terminate.
 */

/** A decimal string (exact, or rounded to 64 significant digits) or a JS number. */
export type TraceInput = number | string;

export interface TraceValue {
  /** Decimal string with up to 64 significant digits. */
  exact: string;
  value: number;
}

export interface BatchTrace {
  m: number;
  x: TraceValue[];
  gamma: TraceValue;
  beta: TraceValue;
  eps: TraceValue;
  sum: TraceValue;
  mean: TraceValue;
  deviations: TraceValue[];
  squaredDeviations: TraceValue[];
  /** Σ(xᵢ − μ_B)², the numerator of both variances. */
  squaredSum: TraceValue;
  varianceBiased: TraceValue;
  varianceUnbiased: TraceValue;
  variancePlusEps: TraceValue;
  std: TraceValue;
  normalized: TraceValue[];
  output: TraceValue[];
}

export interface TraceParams {
  gamma: TraceInput;
  beta: TraceInput;
  eps: TraceInput;
}

const tv = (b: BigNumber): TraceValue => ({ exact: b.toString(), value: b.toNumber() });

/** Validates like parseBatch (same messages), then hands mathjs the digits, not the float. */
function toBig(v: TraceInput, label?: string): BigNumber {
  const token = typeof v === 'number' ? String(v) : v.trim();
  readDecimal(token, label);
  return bignumber(token);
}

export function traceBatchNorm(values: readonly TraceInput[], p: TraceParams): BatchTrace {
  if (values.length === 0) throw new BnInputError('The batch is empty: give at least two numbers.');
  if (values.length === 1) throw new BnInputError(ONE_VALUE_MESSAGE);
  if (values.length > MAX_BATCH) throw new BnInputError(`The batch has ${values.length} values; the most this page traces is ${MAX_BATCH}.`);
  const x = values.map((v) => toBig(v));
  const gamma = toBig(p.gamma, 'gamma');
  const beta = toBig(p.beta, 'beta');
  const eps = toBig(p.eps, 'epsilon');
  if (eps.lte(0)) throw new BnInputError(`epsilon must be greater than 0 (it keeps the division finite when a batch has zero variance); got ${eps.toString()}.`);
  const m = bignumber(x.length);
  const sum = x.reduce((a, b) => a.plus(b), bignumber(0));
  const mean = sum.div(m);
  const deviations = x.map((v) => v.minus(mean));
  const squared = deviations.map((d) => d.times(d));
  const squaredSum = squared.reduce((a, b) => a.plus(b), bignumber(0));
  const varianceBiased = squaredSum.div(m);
  const varianceUnbiased = squaredSum.div(m.minus(1));
  const variancePlusEps = varianceBiased.plus(eps);
  const std = variancePlusEps.sqrt();
  const normalized = deviations.map((d) => d.div(std));
  const output = normalized.map((n) => n.times(gamma).plus(beta));
  return {
    m: x.length,
    x: x.map(tv),
    gamma: tv(gamma),
    beta: tv(beta),
    eps: tv(eps),
    sum: tv(sum),
    mean: tv(mean),
    deviations: deviations.map(tv),
    squaredDeviations: squared.map(tv),
    squaredSum: tv(squaredSum),
    varianceBiased: tv(varianceBiased),
    varianceUnbiased: tv(varianceUnbiased),
    variancePlusEps: tv(variancePlusEps),
    std: tv(std),
    normalized: normalized.map(tv),
    output: output.map(tv),
  };
}
