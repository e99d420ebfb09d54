/**
 * "Best available", by measurement: each backend the browser offers trains the configured twin
 * for a moment in a worker of its own, and the lab trains on the fastest. A fixed order of
 * preference picked WebGL at 101 examples/s here while WASM gave 413, and a software WebGPU
 * adapter at 12. GPU backends on a software renderer are named, not timed. The result is
 * remembered per network and batch size until the reader asks again.
 */
import type { BackendName, RunConfig } from '../../src/lib/train/config';
import { BACKENDS } from '../../src/lib/train/config';
import { RequestFailed } from '../../src/lib/train/core/channel';
import { startTrainer } from './client';

export interface ProbeOutcome {
  backend: BackendName;
  /** Examples per second over both twins, or null when it could not be measured. */
  examplesPerSecond: number | null;
  /** Why there is no figure: unavailable here, a software renderer, or no step within the time allowed. */
  note?: string;
}

export interface ProbeResult {
  key: string;
  chosen: BackendName;
  outcomes: ProbeOutcome[];
  measuredAt: string;
}

/** cpu is the fallback when nothing else starts; it is never faster than WASM. */
const CANDIDATES: BackendName[] = ['webgpu', 'webgl', 'wasm'];
/**
 * First step and measurement must fit in this, per backend, counted from the moment the backend
 * has started. A GPU backend whose first step takes longer (WebGL compiling its shaders on a
 * software renderer: 13 s here) would also keep the reader waiting that long, so it counts as too
 * slow. WASM, the fallback that always works, gets room for a busy machine.
 */
export const PROBE_BUDGET_MS: Record<BackendName, number> = { webgpu: 2000, webgl: 2000, wasm: 10_000, cpu: 10_000 };
/**
 * Loading the worker's script and starting the backend, which is not timed by the budget: on a
 * busy machine the script alone took over 2 s, and a backend that does not exist was then
 * reported as "no step within 2 s" instead of unavailable.
 */
export const PROBE_START_LIMIT_MS = 30_000;
const STORAGE_KEY = 'bn-live.backend-probe';

export const probeKey = (c: RunConfig): string => `${c.preset}/batch ${c.batchSize}`;
const labelOf = (b: BackendName): string => BACKENDS.find(([v]) => v === b)![1].replace(/ \(.*\)$/, '');

/** The probe's line for the reader: "measuring: WebGPU 12 · WebGL 83 · WASM 470 examples/s → WASM". */
export function describeProbe(outcomes: ProbeOutcome[], chosen?: BackendName): string {
  const parts = outcomes.map((o) => `${labelOf(o.backend)} ${o.examplesPerSecond === null ? `(${o.note ?? 'unavailable'})` : Math.round(o.examplesPerSecond)}`);
  return `${chosen ? 'measured' : 'measuring'}: ${parts.join(' · ')}${parts.length ? ' examples/s' : '…'}${chosen ? ` → ${labelOf(chosen)}` : ''}`;
}

export function rememberedProbe(config: RunConfig): ProbeResult | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, ProbeResult>;
    return stored[probeKey(config)];
  } catch {
    return undefined;
  }
}

function remember(result: ProbeResult): void {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, ProbeResult>;
    stored[result.key] = result;
    localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  } catch {
    // Storage off (private mode): the lab measures again next time.
  }
}

export function forgetProbes(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}

const noteFor = (cause: string): string => (cause === 'backend-unavailable' ? 'unavailable' : cause === 'crashed' ? 'crashed' : 'failed');

/** `promise`'s outcome, or `late` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number, late: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(late), ms)))]);
  clearTimeout(timer);
  return result;
}

/** Measures one backend in a worker of its own, closed afterwards whatever happened. */
async function probeOne(backend: BackendName, config: RunConfig): Promise<ProbeOutcome> {
  // A crash refuses the request (cause 'crashed'), so the outcome says so.
  const worker = await startTrainer(() => undefined, () => undefined);
  const refused = (err: unknown): ProbeOutcome => ({ backend, examplesPerSecond: null, note: noteFor(err instanceof RequestFailed ? err.failure.cause : 'failed') });
  const budget = PROBE_BUDGET_MS[backend];
  const started = await within(
    worker.request({ type: 'use-backend', backend }).then(
      // A software renderer is not timed (see softwareRenderer): nothing is queued on it.
      (r): ProbeOutcome | undefined => (r.software ? { backend, examplesPerSecond: null, note: 'software renderer' } : undefined),
      refused,
    ),
    PROBE_START_LIMIT_MS,
    { backend, examplesPerSecond: null, note: `did not start within ${PROBE_START_LIMIT_MS / 1000} s` },
  );
  const outcome =
    started ??
    (await within(
      worker.request({ type: 'measure-speed', config }).then((r): ProbeOutcome => ({ backend, examplesPerSecond: r.examplesPerSecond }), refused),
      budget,
      { backend, examplesPerSecond: null, note: `no step within ${budget / 1000} s` },
    ));
  worker.terminate();
  return outcome;
}

/** Measures every candidate in turn (one at a time: side by side they would slow each other). */
export async function measureBackends(config: RunConfig, onProgress: (outcomes: ProbeOutcome[]) => void): Promise<ProbeResult> {
  const outcomes: ProbeOutcome[] = [];
  for (const backend of CANDIDATES) {
    onProgress(outcomes);
    outcomes.push(await probeOne(backend, config));
  }
  const measured = outcomes.filter((o) => o.examplesPerSecond !== null);
  const best = measured.sort((a, b) => b.examplesPerSecond! - a.examplesPerSecond!)[0];
  // Nothing measured in time (a machine busy elsewhere): WASM, unless it cannot start at all.
  const wasmStarts = outcomes.find((o) => o.backend === 'wasm')?.note !== 'unavailable';
  const result: ProbeResult = { key: probeKey(config), chosen: best?.backend ?? (wasmStarts ? 'wasm' : 'cpu'), outcomes, measuredAt: new Date().toISOString() };
  remember(result);
  return result;
}
