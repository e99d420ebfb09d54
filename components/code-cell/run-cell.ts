/**
 * Runs one cell's code with `tf` in scope (used by cell.worker.ts inside the sandbox, and by the
 * unit tests on Node). An open cell is the body of an async function whose return value is
 * printed; an exercise's code defines a function, which is called on every reference case and
 * compared, and on failure the known wrong variants are run to name the mistake.
 */
import * as tf from '@tensorflow/tfjs-core';
import { compare, type CaseCheck, type CheckCase } from './exercises';
import type { RunError, RunReply, RunRequest } from './protocol';

const MAX_LOG_LINES = 200;
/** `new AsyncFunction(...)` puts its own two lines above the body. */
const HEADER_LINES = 2;
const SOURCE_URL = '\n//# sourceURL=cell.js';

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;

function format(value: unknown, depth = 0): string {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) return 'Tensor (disposed)';
    const body = value.toString().split('\n').slice(1).join('\n');
    return `Tensor shape [${value.shape.join(', ')}] ${value.dtype}\n${body}`;
  }
  if (depth > 3) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((v) => format(v, depth + 1));
    return `[${items.join(', ')}${value.length > 20 ? `, … (${value.length} items)` : ''}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).slice(0, 20);
    return entries.map(([k, v]) => `${k}: ${format(v, depth + 1)}`).join('\n');
  }
  if (typeof value === 'string') return depth ? JSON.stringify(value) : value;
  return String(value);
}

function describe(err: unknown): RunError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const m = /cell\.js:(\d+):\d+/.exec(err.stack ?? '');
  const line = m ? Number(m[1]) - HEADER_LINES : undefined;
  return { name: err.name, message: err.message, ...(line && line > 0 ? { line } : {}) };
}

function capture(logs: string[]): Pick<Console, 'log' | 'info' | 'warn' | 'error'> {
  const push = (prefix: string) => (...args: unknown[]) => {
    if (logs.length < MAX_LOG_LINES) logs.push(prefix + args.map((a) => format(a)).join(' '));
    else if (logs.length === MAX_LOG_LINES) logs.push(`… (more than ${MAX_LOG_LINES} lines)`);
  };
  return { log: push(''), info: push(''), warn: push('warning: '), error: push('error: ') };
}

function compile(code: string, fn?: string): (...args: unknown[]) => Promise<unknown> {
  const body = fn ? `${code}\n;return typeof ${fn} === 'function' ? ${fn} : undefined;` : code;
  return new AsyncFunction('tf', 'console', body + SOURCE_URL);
}

type Callable = (...args: unknown[]) => unknown;

async function takeFunction(code: string, fn: string, console: ReturnType<typeof capture>): Promise<Callable> {
  const f = await compile(code, fn)(tf, console);
  if (typeof f !== 'function') throw new ReferenceError(`Define a function named ${fn}.`);
  return f as Callable;
}

/** The function named `fn` that the reader's code defines (for "Train with my BN"); its console output is dropped. */
export const readerFunction = (code: string, fn: string): Promise<Callable> => takeFunction(code, fn, capture([]));

/** The function's outputs on one case, read back as plain arrays (tensors freed). */
function outputs(f: Callable, c: CheckCase, keys: string[]): Record<string, { shape: number[]; data: Float32Array | number[] } | string> {
  return tf.tidy(() => {
    const args = c.args.map((a) => (typeof a === 'number' ? a : tf.tensor(a.data, a.shape, 'float32')));
    const out = f(...args) as Record<string, unknown> | undefined;
    const read: Record<string, { shape: number[]; data: Float32Array | number[] } | string> = {};
    for (const k of keys) {
      const v = out?.[k];
      read[k] = v instanceof tf.Tensor ? { shape: v.shape, data: Array.from(v.dataSync()) } : `${k} is not a tensor (got ${v === undefined ? 'nothing' : typeof v})`;
    }
    return read as never;
  });
}

async function runExercise(req: RunRequest, console: ReturnType<typeof capture>): Promise<{ checks: CaseCheck[]; mistake?: string }> {
  const check = req.check!;
  const f = await takeFunction(req.code, check.fn, console);
  const keys = Object.keys(check.cases[0]?.expected ?? {});
  const got = check.cases.map((c) => outputs(f, c, keys));
  const checks: CaseCheck[] = check.cases.map((c, i) => {
    const fields = keys.map((k) => {
      const g = got[i]![k]!;
      if (typeof g === 'string') return { field: k, ok: false, maxError: Infinity, problem: g };
      return { field: k, ...compare(g, c.expected[k]!, c.tolerance) };
    });
    return { name: c.name, source: c.source, ok: fields.every((f) => f.ok), maxError: Math.max(...fields.map((f) => f.maxError)), fields };
  });
  if (checks.every((c) => c.ok)) return { checks };
  // A classic mistake: the known wrong variant gives what the reader's code gave, wherever the reader's was wrong.
  for (const m of check.mistakes) {
    const wrong = await takeFunction(m.code, check.fn, capture([]));
    const same = check.cases.every((c, i) => {
      const theirs = outputs(wrong, c, keys);
      return checks[i]!.fields.every((fc) => {
        if (fc.ok) return true;
        const g = got[i]![fc.field]!;
        const w = theirs[fc.field]!;
        if (typeof g === 'string' || typeof w === 'string') return false;
        return compare(g, { shape: w.shape, data: Array.from(w.data) }, c.tolerance).ok;
      });
    });
    if (same) return { checks, mistake: m.id };
  }
  return { checks };
}


export async function runCell(req: RunRequest): Promise<RunReply> {
  const logs: string[] = [];
  const console = capture(logs);
  tf.engine().startScope();
  try {
    if (req.check) return { type: 'result', id: req.id, logs, ...(await runExercise(req, console)) };
    const value = await compile(req.code)(tf, console);
    return { type: 'result', id: req.id, logs, ...(value === undefined ? {} : { value: format(value) }) };
  } catch (err) {
    return { type: 'result', id: req.id, logs, error: describe(err) };
  } finally {
    tf.engine().endScope();
  }
}
