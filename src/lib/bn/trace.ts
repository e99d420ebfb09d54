import { bignumber, type BigNumber } from 'mathjs';
import { BnInputError } from './errors';
import { MAX_BATCH } from './parse';

/**
 * Algorithm 1 in exact decimal arithmetic (mathjs BigNumber, 64 significant digits), every
 * intermediate kept, for the widgets that show the arithmetic and to cross-check tfjs's float32.
 * Inputs are taken as the decimals they print as (String(0.1) is "0.1"), so a typed batch is
 * traced exactly; results are exact whenever they terminate within 64 digits (√ rarely does).
 */
type Big = BigNumber;
// mathjs's default instance computes BigNumbers to 64 significant digits.

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
