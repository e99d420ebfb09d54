// npm run bench [-- --quick] [--accuracy] [--profile-only] [--bn-only] [--twin-only] [--sandbox-only] [--first-visit-only] [--long-run-only] [--out FILE]
// Profiles one training step of the lab's CNN on WASM (the ten kernels that take the most time),
// then measures, side by side in one browser process with alternating runs (these machines are
// shared and noisy, so every figure is a median with its spread): the lab's trainer per backend against
// tfjs-layers' model.fit, the cost of the lab's instrumentation and of BN itself, the
// distributions widget's update time, the lab page's main thread while its worker trains, and
// each page's first-load bytes.
import { chromium, type Page } from '@playwright/test';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { AccuracyResult, ProfileResult } from '../../src/lib/bench/harness';
import { chromiumLaunchOptions, serveDist, SOFTWARE_GPU_FLAGS } from '../../scripts/browser.ts';
import { describeScripts, OWN_SCRIPT_MS, readLabTraining, recordLabTraining, type LabTraining } from './main-thread.ts';
import { describeLongRun, flatnessProblems, longRun, type LongRunSample } from '../e2e/long-run.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
// Time to 98% takes minutes per run: part of the full benchmark, or of a quick one on request.
const accuracyRuns = !quick || args.includes('--accuracy');
// The profile alone (about a minute with the build), to see where a step's time goes.
const profileOnly = args.includes('--profile-only');
// The profile and BN's cost alone (bn_overhead's alternating rounds), for work on BN's kernels.
const bnOnly = args.includes('--bn-only');
// The 5,000-step long run alone (a few minutes), for its growth figures.
const longRunOnly = args.includes('--long-run-only');
// twin_vs_single alone (the lab's twins in two workers against one BN network), a minute or two.
const twinOnly = args.includes('--twin-only');
// "Train with my BN" in the sandbox beside the lab page's twin (twin_vs_single's rounds), a few minutes.
const sandboxOnly = args.includes('--sandbox-only');
// A reader's first visit alone (fresh profiles: "best available" with WebGPU offered, WASM by hand, a cold cache at 20 Mbit/s), about 2 minutes.
const firstVisitOnly = args.includes('--first-visit-only');
const outIndex = args.indexOf('--out');
const outFile = outIndex >= 0 ? args[outIndex + 1] : undefined;
const ROUNDS = quick ? 3 : 5;
const SECONDS = quick ? 1 : 5;
// bn_overhead: at least 10 rounds of a BN run and a plain run back to back, so that one noisy
// round (this machine is shared) cannot move the median.
const BN_ROUNDS = quick ? 10 : 12;
const BN_SECONDS = quick ? 1 : 3;
const PORT = 4393;
const SLOW_EXAMPLES_PER_SECOND = 50;
const BASE = `http://127.0.0.1:${PORT}`;

if (!existsSync('dist/bench/index.html')) {
  console.error('dist/ has no bench page: run `npm run build` first (npm run bench does).');
  process.exit(1);
}
const server = await serveDist(PORT);

// WebGPU and WebGL on SwiftShader where there is no GPU, so every backend can be measured.
const browser = await chromium.launch(
  chromiumLaunchOptions(SOFTWARE_GPU_FLAGS),
);

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : Number.NaN;
};
interface Figure { median: number; min: number; max: number; runs: number[]; error?: string }
const figure = (runs: number[], error?: string): Figure => ({ median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs, ...(error ? { error } : {}) });

type Config = { key: string; kind: 'lab' | 'fit'; backend: string; norm?: 'bn' | null; instrument?: boolean };
// The two WASM lab variants run back to back, so each round's ratio compares runs seconds apart.
// (BN against no BN has rounds of its own: bnOverheadFigures.)
const CONFIGS: Config[] = [
  { key: 'lab_wasm', kind: 'lab', backend: 'wasm', norm: 'bn', instrument: false },
  { key: 'lab_wasm_instrumented', kind: 'lab', backend: 'wasm', norm: 'bn', instrument: true },
  ...['webgpu', 'webgl', 'cpu'].map((backend): Config => ({ key: `lab_${backend}`, kind: 'lab', backend, norm: 'bn', instrument: false })),
  ...['webgpu', 'webgl', 'wasm', 'cpu'].map((backend): Config => ({ key: `fit_${backend}`, kind: 'fit', backend })),
];

async function trainerFigures(page: Page): Promise<Record<string, Figure>> {
  await page.goto(`${BASE}/bench/`);
  await page.waitForFunction(() => window.bnBench?.ready === true, null, { timeout: 60_000 });
  const runs: Record<string, number[]> = {};
  const errors: Record<string, string> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of CONFIGS) {
      if (errors[c.key]) continue;
      // --quick measures a configuration slower than 50 examples/s (seconds per step: cpu, or a
      // GPU backend on a software renderer) once only; it stays in the table with runs: 1.
      if (quick && round > 0 && (runs[c.key]?.[0] ?? Number.POSITIVE_INFINITY) < SLOW_EXAMPLES_PER_SECOND) continue;
      // Slow backends (cpu, software WebGPU) get one warm-up step; every run lasts at least SECONDS.
      const opts = { backend: c.backend, seconds: SECONDS, warmupSteps: c.backend === 'cpu' || c.backend === 'webgpu' || round > 0 ? 1 : 3, norm: c.norm ?? null, instrument: c.instrument ?? false };
      const r = await page.evaluate(
        ([kind, o]) => (kind === 'lab' ? window.bnBench!.lab(o as never) : window.bnBench!.fit(o as never)),
        [c.kind, opts] as const,
      );
      if (r.error) errors[c.key] = r.error;
      else (runs[c.key] ??= []).push(r.examplesPerSecond);
      process.stderr.write(`round ${round + 1}/${ROUNDS} ${c.key}: ${r.error ? `unavailable (${r.error.slice(0, 80)})` : `${r.examplesPerSecond.toFixed(1)} ex/s`}\n`);
    }
  }
  return Object.fromEntries(CONFIGS.map((c) => [c.key, errors[c.key] ? figure([], errors[c.key]) : figure(runs[c.key] ?? [])]));
}

interface BnOverhead {
  /** Median over rounds of (examples/s without BN ÷ with BN − 1): the time BN adds to a step. */
  median: number;
  min: number;
  max: number;
  /** Per-round ratios, and the runs they come from (examples/s). */
  rounds: number[];
  with_bn: Figure;
  without_bn: Figure;
  error?: string;
}

/**
 * BN's cost on WASM: BN_ROUNDS rounds of the lab's CNN with BN, then without (BN, plain, BN,
 * plain…, BN_SECONDS each, in one page), each round's ratio from its two adjacent runs.
 */
async function bnOverheadFigures(page: Page): Promise<BnOverhead> {
  await page.goto(`${BASE}/bench/`);
  await page.waitForFunction(() => window.bnBench?.ready === true, null, { timeout: 60_000 });
  const runs: Record<'bn' | 'plain', number[]> = { bn: [], plain: [] };
  for (let round = 0; round < BN_ROUNDS; round++) {
    for (const norm of ['bn', null] as const) {
      const opts = { backend: 'wasm', seconds: BN_SECONDS, warmupSteps: 3, norm, instrument: false };
      const r = await page.evaluate((o) => window.bnBench!.lab(o as never), opts);
      if (r.error) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, rounds: [], with_bn: figure([]), without_bn: figure([]), error: r.error };
      runs[norm ? 'bn' : 'plain'].push(r.examplesPerSecond);
    }
    const ratio = runs.plain[round]! / runs.bn[round]! - 1;
    process.stderr.write(`bn overhead round ${round + 1}/${BN_ROUNDS}: ${runs.bn[round]!.toFixed(0)} vs ${runs.plain[round]!.toFixed(0)} ex/s, ${(ratio * 100).toFixed(1)}%\n`);
  }
  const rounds = runs.plain.map((p, i) => p / runs.bn[i]! - 1);
  return { median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds), rounds, with_bn: figure(runs.bn), without_bn: figure(runs.plain) };
}

const describeBnOverhead = (b: BnOverhead): string =>
  b.error
    ? `unavailable: ${b.error.slice(0, 80)}`
    : `${(b.median * 100).toFixed(1)}%  (wasm, median of ${b.rounds.length} alternating rounds of ${BN_SECONDS} s; rounds ${(b.min * 100).toFixed(1)}% to ${(b.max * 100).toFixed(1)}%; ${b.with_bn.median.toFixed(0)} vs ${b.without_bn.median.toFixed(0)} examples/s)`;

async function widgetFigures(page: Page): Promise<Record<string, Figure>> {
  const out: Record<string, Figure> = {};
  for (const batch of [256, 1024]) {
    await page.goto(`${BASE}/chapters/the-transform/?dist.batch=${batch}`);
    const widget = page.locator('bn-distributions');
    await widget.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('bn-distributions')?.getAttribute('data-state') === 'ready');
    const times: number[] = [];
    for (let i = 0; i < (quick ? 15 : 40); i++) {
      // One slider step per frame, as a drag produces; the widget reports its own update time. It
      // redraws in the next animation frame, so the frame after that has the new reading.
      await page.evaluate(async (v) => {
        const input = document.querySelector<HTMLInputElement>('bn-distributions input[name="mean"]')!;
        input.value = String(v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
      }, (i % 20) / 10 - 1);
      const text = await page.locator('bn-distributions [data-out="timing"]').textContent();
      times.push(Number.parseFloat(text ?? 'NaN'));
    }
    out[`batch_${batch}_ms`] = figure(times.slice(2));
  }
  return out;
}

const ACCURACY = { backend: 'wasm', seconds: 180, target: 0.98, batchSize: 32, learningRate: 0.01, evalEvery: 100 } as const;

/** One line per time-to-accuracy run, for the progress log and the final table alike. */
function describeAccuracy(r: AccuracyResult): string {
  const last = r.curve.at(-1);
  if (r.error) return r.error;
  if (r.secondsToTarget === null) return `not within ${ACCURACY.seconds} s: best ${(r.best * 100).toFixed(2)}% by step ${last?.step}`;
  return `${r.secondsToTarget.toFixed(1)} s of training (step ${last?.step})`;
}

/** The lab's target: seconds of training until the BN network reaches 98% on the full test set. */
async function accuracyFigures(page: Page): Promise<Record<string, AccuracyResult>> {
  await page.goto(`${BASE}/bench/`);
  await page.waitForFunction(() => window.bnBench?.ready === true, null, { timeout: 60_000 });
  const out: Record<string, AccuracyResult> = {};
  for (const twins of [false, true]) {
    const key = twins ? 'wasm_bn_beside_plain_twin' : 'wasm_bn_alone';
    out[key] = await page.evaluate((o) => window.bnBench!.timeToAccuracy(o), { ...ACCURACY, twins });
    process.stderr.write(`${key}: ${describeAccuracy(out[key])}\n`);
  }
  return out;
}

const PROFILE = { backend: 'wasm', steps: quick ? 10 : 20, warmupSteps: 5, top: 10 } as const;

/** Where one training step's time goes, per kernel, for the CNN with BN and without. */
async function profileFigures(page: Page): Promise<Record<'bn' | 'no_bn', ProfileResult>> {
  await page.goto(`${BASE}/bench/`);
  await page.waitForFunction(() => window.bnBench?.ready === true, null, { timeout: 60_000 });
  const bn = await page.evaluate((o) => window.bnBench!.profileStep(o), { ...PROFILE, norm: 'bn' as const });
  const noBn = await page.evaluate((o) => window.bnBench!.profileStep(o), { ...PROFILE, norm: null });
  return { bn, no_bn: noBn };
}

function printProfile(profile: Record<'bn' | 'no_bn', ProfileResult>): void {
  const { bn, no_bn: noBn } = profile;
  console.log(`Profile of one training step on ${PROFILE.backend}, CNN 8/16/32 + BN, batch 32, Adam (tf.profile kernel times, mean of ${PROFILE.steps} steps):`);
  if (bn.error) {
    console.log(`  unavailable: ${bn.error.slice(0, 80)}`);
    return;
  }
  const totals = (r: ProfileResult) => `${r.wallMsPerStep.toFixed(1)} ms wall clock per step unprofiled; kernels ${r.kernelMsPerStep.toFixed(1)} ms in ${r.kernelsPerStep.toFixed(0)} kernel calls`;
  console.log(`  with BN:    ${totals(bn)}`);
  if (!noBn.error) console.log(`  without BN: ${totals(noBn)}`);
  console.log(`  top ${PROFILE.top} (with BN):  ms/step  calls  kernel, input shapes`);
  for (const r of bn.top) console.log(`  ${r.msPerStep.toFixed(2).padStart(22)} ${String(r.callsPerStep).padStart(6)}  ${r.kernel} ${r.inputs}`);
}

const LAB_STEPS = quick ? 100 : 200;
interface LabMainThread { steps: number; training_seconds: number; longest_task_ms: number; long_tasks: number; longest_own_script_ms: number | null; error?: string }

/**
 * The lab page while its worker trains the twins (the browser test's seeded run): the longest
 * main-thread task, wall-clock (so another process on the machine can stretch it), beside the
 * longest script of the site's own (long animation frames), against OWN_SCRIPT_MS.
 */
async function labMainThread(context: import('@playwright/test').BrowserContext): Promise<LabMainThread> {
  const page = await context.newPage();
  try {
    await page.addInitScript(recordLabTraining);
    await page.goto(`${BASE}/lab/?preset=cnn&steps=${LAB_STEPS}&batch=32&lr=0.01&opt=adam&seed=1&backend=wasm&autostart=1`);
    const end = await page.waitForFunction(() => {
      const phase = document.querySelector('bn-lab')?.getAttribute('data-phase');
      return phase === 'finished' || phase === 'failed' ? phase : false;
    }, null, { timeout: 600_000 });
    const run: LabTraining = await readLabTraining(page);
    const own = run.scripts.filter((s) => s.own);
    if (own.length) process.stderr.write(`lab main thread, longest own scripts:\n${describeScripts(own, 5)}\n`);
    return {
      steps: LAB_STEPS,
      training_seconds: run.seconds,
      longest_task_ms: Math.max(0, ...run.longTasks.map((t) => t.duration)),
      long_tasks: run.longTasks.length,
      longest_own_script_ms: run.frameTimingSupported ? Math.max(0, ...own.map((s) => s.duration)) : null,
      ...((await end.jsonValue()) === 'failed' ? { error: (await page.locator('#lab-error').textContent()) ?? 'the lab failed' } : {}),
    };
  } finally {
    await page.close();
  }
}

interface LabProbe { chosen: string | null; outcomes: Array<{ backend: string; examplesPerSecond: number | null; note?: string }>; start_to_first_step_ms: number | null; load_to_first_step_ms: number | null; error?: string }

/**
 * "Best available" as a new reader meets it: a fresh browser profile opens the lab, which times
 * each backend and picks one (data-probe); then the time from Start to the first step, and from a
 * reload with autostart (MNIST cached, the probe remembered) to the first step.
 */
async function labProbe(): Promise<LabProbe> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const url = `${BASE}/lab/?preset=cnn&steps=40&batch=32&lr=0.01&opt=adam&seed=1`;
  const firstStep = () => page.waitForFunction(() => Number(document.querySelector('[data-out="step"]')?.textContent) >= 1, null, { timeout: 120_000, polling: 20 });
  try {
    await page.goto(url);
    await page.waitForFunction(() => ['ready', 'failed'].includes(document.querySelector('bn-lab')?.getAttribute('data-phase') ?? ''), null, { timeout: 180_000 });
    const probe = JSON.parse((await page.locator('bn-lab').getAttribute('data-probe')) ?? '{}') as { chosen?: string; outcomes?: LabProbe['outcomes'] };
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Start' }).click();
    await firstStep();
    const startToFirst = performance.now() - t0;
    await page.goto(`${url}&autostart=1`);
    await firstStep();
    const loadToFirst = await page.evaluate(() => performance.now());
    return { chosen: probe.chosen ?? null, outcomes: probe.outcomes ?? [], start_to_first_step_ms: startToFirst, load_to_first_step_ms: loadToFirst };
  } catch (err) {
    return { chosen: null, outcomes: [], start_to_first_step_ms: null, load_to_first_step_ms: null, error: err instanceof Error ? err.message : String(err) };
  } finally {
    await context.close();
  }
}

interface FirstVisit {
  /** Load of a fresh profile's lab (autostart, "best available", WebGPU offered on a software adapter) to its first step. */
  first_step_webgpu_offered_s: number | null;
  /** That run's examples/s over its first 30 s of training ÷ the same run on WASM chosen by hand. */
  auto_vs_best_webgpu_offered: number | null;
  auto_examples_per_second: number | null;
  wasm_examples_per_second: number | null;
  auto_chosen: string | null;
  /** Load of a fresh profile's lab on WASM (cold cache) to its first step, the network held to 20 Mbit/s. */
  first_step_cold_s: number | null;
  error?: string;
}

const FIRST_VISIT_WINDOW_S = 30;
/** The issue's throttle for a cold first visit: 20 Mbit/s down and up, as DevTools' network emulation applies it. */
const COLD_BYTES_PER_SECOND = (20 * 1_000_000) / 8;

/**
 * A reader's first visit, each in a fresh profile (no cache, no remembered probe): the lab with
 * autostart, from navigation to its first step, then its speed over the first 30 s of training,
 * "best available" (with WebGPU offered, as this browser is launched) against WASM by hand; and a
 * cold first step with the network throttled to 20 Mbit/s.
 */
async function firstVisitFigures(): Promise<FirstVisit> {
  const url = (backend: string) => `${BASE}/lab/?preset=cnn&steps=5000&batch=32&lr=0.01&opt=adam&seed=1&backend=${backend}&autostart=1`;
  const visit = async (backend: string, throttle: boolean, window: boolean) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      if (throttle) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: COLD_BYTES_PER_SECOND, uploadThroughput: COLD_BYTES_PER_SECOND });
      }
      const stepAtLeast = (n: number, timeout: number) => page.waitForFunction((k) => Number(document.querySelector('[data-out="step"]')?.textContent) >= k, n, { timeout, polling: 20 });
      await page.goto(url(backend));
      await stepAtLeast(1, 180_000);
      const firstStepS = (await page.evaluate(() => performance.now())) / 1000;
      const chosen = await page.locator('bn-lab').getAttribute('data-backend');
      if (!window) return { firstStepS, chosen, examplesPerSecond: null };
      const s0 = Number(await page.locator('[data-out="step"]').textContent());
      const t0 = performance.now();
      await page.waitForTimeout(FIRST_VISIT_WINDOW_S * 1000);
      const s1 = Number(await page.locator('[data-out="step"]').textContent());
      return { firstStepS, chosen, examplesPerSecond: ((s1 - s0) * 32 * 2) / ((performance.now() - t0) / 1000) };
    } finally {
      await context.close();
    }
  };
  try {
    const auto = await visit('auto', false, true);
    const wasm = await visit('wasm', false, true);
    const cold = await visit('wasm', true, false);
    return {
      first_step_webgpu_offered_s: auto.firstStepS,
      auto_vs_best_webgpu_offered: auto.examplesPerSecond! / wasm.examplesPerSecond!,
      auto_examples_per_second: auto.examplesPerSecond,
      wasm_examples_per_second: wasm.examplesPerSecond,
      auto_chosen: auto.chosen,
      first_step_cold_s: cold.firstStepS,
    };
  } catch (err) {
    return { first_step_webgpu_offered_s: null, auto_vs_best_webgpu_offered: null, auto_examples_per_second: null, wasm_examples_per_second: null, auto_chosen: null, first_step_cold_s: null, error: err instanceof Error ? err.message : String(err) };
  }
}

function printFirstVisit(f: FirstVisit): void {
  const s = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} s`);
  console.log(`
First visit (fresh profile, lab with autostart, CNN batch 32; WebGPU offered on a software adapter):`);
  if (f.error) console.log(`  unavailable: ${f.error.slice(0, 100)}`);
  console.log(`  first_step_webgpu_offered_s  ${s(f.first_step_webgpu_offered_s)}  (navigation to the first step, "best available" → ${f.auto_chosen ?? 'n/a'}; target ≤ 6 s)`);
  console.log(`  auto_vs_best_webgpu_offered  ${f.auto_vs_best_webgpu_offered === null ? 'n/a' : f.auto_vs_best_webgpu_offered.toFixed(2)}  (${f.auto_examples_per_second?.toFixed(0) ?? 'n/a'} ÷ WASM by hand ${f.wasm_examples_per_second?.toFixed(0) ?? 'n/a'} examples/s over the first ${FIRST_VISIT_WINDOW_S} s of training; target ≥ 0.85)`);
  console.log(`  first_step_cold_s            ${s(f.first_step_cold_s)}  (WASM, cold cache, network at 20 Mbit/s; target ≤ 5 s)`);
}

interface TwinVsSingle {
  /** Median over rounds of (the lab's twin in two workers, examples/s over both runs) ÷ (the BN network alone). */
  median: number;
  rounds: number[];
  twin_two_workers: Figure;
  twin_one_worker: Figure;
  bn_alone: Figure;
  /** The lab page's main-thread busy time over the timed window ÷ the window, per worker setting. */
  main_thread_share?: { two_workers: Figure; one_worker: Figure };
  error?: string;
}

const TWIN_ROUNDS = quick ? 2 : 3;
/** The window the lab page is timed over: after its first steps (workers started, kernels warm). */
const TWIN_FROM_STEP = 20;
const TWIN_TO_STEP = 220;

/**
 * The lab page's twin (CNN, batch 32, Adam, WASM, instrumented as the page is) timed from its step
 * readout between TWIN_FROM_STEP and TWIN_TO_STEP, with each twin in its own worker and both in
 * one; beside it the BN network alone on the bench page with the same settings. Alternating rounds.
 */
async function twinFigures(context: import('@playwright/test').BrowserContext, page: Page): Promise<TwinVsSingle> {
  const labPage = await context.newPage();
  // The page's main thread shares the two cores with the workers: its busy time (DevTools'
  // TaskDuration, seconds of main-thread tasks) over the same window, as a share of the window.
  const cdp = await context.newCDPSession(labPage);
  await cdp.send('Performance.enable');
  const mainThreadSeconds = async (): Promise<number> => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
  const stepAt = (n: number) => labPage.waitForFunction((k) => Number(document.querySelector('[data-out="step"]')?.textContent) >= k, n, { timeout: 300_000, polling: 20 });
  const twin = async (workers: 1 | 2): Promise<number> => {
    await labPage.goto(`${BASE}/lab/?preset=cnn&steps=${TWIN_TO_STEP + 20}&batch=32&lr=0.01&opt=adam&seed=1&backend=wasm&workers=${workers}&autostart=1`);
    await stepAt(TWIN_FROM_STEP);
    const t0 = performance.now();
    const busy0 = await mainThreadSeconds();
    const s0 = Number(await labPage.locator('[data-out="step"]').textContent());
    await stepAt(TWIN_TO_STEP);
    const seconds = (performance.now() - t0) / 1000;
    runs.mainThreadShare[workers === 2 ? 'two' : 'one'].push(((await mainThreadSeconds()) - busy0) / seconds);
    const s1 = Number(await labPage.locator('[data-out="step"]').textContent());
    const shown = await labPage.locator('bn-lab').getAttribute('data-workers');
    if (shown !== String(workers)) throw new Error(`the lab trained in ${shown} worker(s), not ${workers}`);
    return ((s1 - s0) * 32 * 2) / seconds;
  };
  const runs = { two: [] as number[], one: [] as number[], alone: [] as number[], mainThreadShare: { two: [] as number[], one: [] as number[] } };
  try {
    await page.goto(`${BASE}/bench/`);
    await page.waitForFunction(() => window.bnBench?.ready === true, null, { timeout: 60_000 });
    for (let round = 0; round < TWIN_ROUNDS; round++) {
      const r = await page.evaluate((o) => window.bnBench!.lab(o as never), { backend: 'wasm', seconds: 5, warmupSteps: 3, norm: 'bn', instrument: true });
      if (r.error) throw new Error(r.error);
      runs.alone.push(r.examplesPerSecond);
      runs.two.push(await twin(2));
      runs.one.push(await twin(1));
      process.stderr.write(`twin round ${round + 1}/${TWIN_ROUNDS}: two workers ${runs.two[round]!.toFixed(0)}, one worker ${runs.one[round]!.toFixed(0)}, BN alone ${runs.alone[round]!.toFixed(0)} ex/s\n`);
    }
    const rounds = runs.two.map((t, i) => t / runs.alone[i]!);
    return { median: median(rounds), rounds, twin_two_workers: figure(runs.two), twin_one_worker: figure(runs.one), bn_alone: figure(runs.alone), main_thread_share: { two_workers: figure(runs.mainThreadShare.two), one_worker: figure(runs.mainThreadShare.one) } };
  } catch (err) {
    return { median: Number.NaN, rounds: [], twin_two_workers: figure(runs.two), twin_one_worker: figure(runs.one), bn_alone: figure(runs.alone), error: err instanceof Error ? err.message : String(err) };
  } finally {
    await labPage.close();
  }
}

const describeTwin = (t: TwinVsSingle): string =>
  t.error
    ? `unavailable: ${t.error.slice(0, 80)}`
    : `${t.median.toFixed(2)}  (lab twin in two workers ${t.twin_two_workers.median.toFixed(0)} examples/s over both runs ÷ BN network alone ${t.bn_alone.median.toFixed(0)}; one worker ${t.twin_one_worker.median.toFixed(0)}; median of ${t.rounds.length} rounds; the page's main thread busy ${t.main_thread_share ? `${(t.main_thread_share.two_workers.median * 100).toFixed(0)}% / ${(t.main_thread_share.one_worker.median * 100).toFixed(0)}%` : 'n/a'} of the window with two / one worker)`;

async function pageBytes(context: import('@playwright/test').BrowserContext): Promise<Record<string, Record<string, number>>> {
  const page = await context.newPage();
  const out: Record<string, Record<string, number>> = {};
  for (const path of ['/', '/chapters/why-normalize/', '/chapters/the-transform/', '/chapters/conv-layers/', '/chapters/train-vs-inference/', '/chapters/backward-pass/', '/chapters/pitfalls/', '/lab/']) {
    const bytes: Record<string, number> = { js: 0, css: 0, fonts: 0, data: 0, html: 0 };
    const reads: Array<Promise<void>> = [];
    const onResponse = (res: import('@playwright/test').Response) => {
      const type = res.request().resourceType();
      const url = res.url();
      const key = type === 'script' ? 'js' : type === 'stylesheet' ? 'css' : type === 'font' ? 'fonts' : type === 'document' ? 'html' : /\/data\/|\.wasm$/.test(url) ? 'data' : undefined;
      if (key) reads.push(res.body().catch(() => Buffer.alloc(0)).then((body) => void (bytes[key]! += body.length)));
    };
    // Context-level, so the lab worker's requests (its script, wasm and MNIST) count too.
    context.on('response', onResponse);
    await page.goto(`${BASE}${path}`);
    // The lab's worker has fetched its code, wasm and MNIST once the lab is ready (or has failed).
    if (path === '/lab/') await page.waitForFunction(() => ['ready', 'failed'].includes(document.querySelector('bn-lab')?.getAttribute('data-phase') ?? ''), null, { timeout: 120_000 });
    await page.waitForLoadState('networkidle');
    // Bodies arrive after their response events: wait for every read, not a fixed time.
    await Promise.all(reads);
    context.off('response', onResponse);
    out[path] = bytes;
  }
  return out;
}

const LONG_RUN_STEPS = 5000;

/**
 * A long lab run watched for growth (tests/e2e/long-run.ts): the seeded twin for 5,000 steps on
 * WASM, sampled at steps 1,000 and 5,000 (the browser test runs 500). Its own page, in a fresh
 * context, so nothing earlier in the benchmark sits in its heap or IndexedDB.
 */
async function longRunFigures(): Promise<{ samples: [LongRunSample, LongRunSample] | null; problems: string[]; error?: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: BASE, serviceWorkers: 'block' });
  try {
    const samples = await longRun(await context.newPage(), LONG_RUN_STEPS, 1000);
    return { samples, problems: flatnessProblems(samples) };
  } catch (err) {
    return { samples: null, problems: [], error: err instanceof Error ? err.message : String(err) };
  } finally {
    await context.close();
  }
}

function printLongRun(r: Awaited<ReturnType<typeof longRunFigures>>): void {
  console.log(`\nLong run (lab twin CNN, wasm, seed 1, ${LONG_RUN_STEPS} steps; instrumentation, digits, saved runs on):`);
  if (!r.samples) return void console.log(`  unavailable: ${r.error?.slice(0, 120)}`);
  console.log(describeLongRun(r.samples).replace(/^/gm, '  '));
  console.log(`  ${r.problems.length ? `GROWS: ${r.problems.join('; ')}` : 'flat within the stated bounds (tests/e2e/long-run.ts)'}`);
}

interface SandboxTraining {
  steps: number;
  /** Both runs' examples (reader's layer and built-in BN, batch 32 each) per second of training, as the worker measures it. */
  examples_per_second: number | null;
  /** From pressing "Train with my BN" to the verdict: loading MNIST and the WASM binary, starting the sandbox's worker, training, evaluating. */
  seconds_to_verdict: number | null;
  verdict: string | null;
  error?: string;
}

const SANDBOX_STEPS = 100;

/**
 * "Train with my BN" (components/code-cell/train): the registry's Algorithm 1 solution trains the
 * lab's CNN for 100 steps inside the cells' sandbox (WASM, from the page's bytes), beside the
 * site's own BN. The figure is the worker's own examples/s, read from the cell's status line.
 */
async function sandboxTraining(context: import('@playwright/test').BrowserContext): Promise<SandboxTraining> {
  const page = await context.newPage();
  try {
    const { CELLS } = await import('../../components/code-cell/exercises.ts');
    const solution = CELLS.find((c) => c.id === 'algorithm-1')!;
    await page.addInitScript((code) => localStorage.setItem('bn-cell:algorithm-1', code), 'solution' in solution ? solution.solution : '');
    await page.goto(`${BASE}/chapters/the-transform/#cell-algorithm-1-root`);
    const cell = page.locator('bn-code-cell[data-cell="algorithm-1"]');
    await cell.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('bn-code-cell[data-cell="algorithm-1"]')?.getAttribute('data-state') === 'ready', null, { timeout: 60_000 });
    await cell.locator('[data-train-steps]').selectOption(String(SANDBOX_STEPS));
    const t0 = Date.now();
    await cell.getByRole('button', { name: 'Train with my BN', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('bn-code-cell[data-cell="algorithm-1"]')?.getAttribute('data-train-state') === 'done', null, { timeout: 300_000 });
    const seconds = (Date.now() - t0) / 1000;
    const status = (await cell.locator('[data-train-status]').textContent()) ?? '';
    const verdict = await cell.getByRole('status', { name: 'training verdict', exact: true }).textContent();
    const rate = /at ([\d,]+) examples\/s/.exec(status);
    return { steps: SANDBOX_STEPS, examples_per_second: rate ? Number(rate[1]!.replace(/,/g, '')) : null, seconds_to_verdict: seconds, verdict, ...(rate ? {} : { error: verdict ?? status }) };
  } catch (err) {
    return { steps: SANDBOX_STEPS, examples_per_second: null, seconds_to_verdict: null, verdict: null, error: err instanceof Error ? err.message : String(err) };
  } finally {
    await page.close();
  }
}

/** The sandbox's figures, `beside` naming the lab figure they are read against. */
function printSandbox(sandbox: SandboxTraining, beside: string): void {
  console.log(`\n"Train with my BN" in the cells' sandbox (WASM, ${sandbox.steps} steps, the reader's layer and the built-in BN, batch 32 each):`);
  if (sandbox.error) console.log(`  unavailable: ${sandbox.error.slice(0, 100)}`);
  console.log(`  sandbox examples/s       ${sandbox.examples_per_second ?? 'n/a'}  (both runs; beside ${beside})`);
  console.log(`  press to verdict         ${sandbox.seconds_to_verdict === null ? 'n/a' : `${sandbox.seconds_to_verdict.toFixed(1)} s`}  (loading MNIST and WASM, training, evaluating)`);
}

type Stage = <T>(name: string, run: () => Promise<T>) => Promise<T>;

/** Everything after the profile: throughput, widget, lab page, time to 98%, bytes; then the report. */
async function measureAll(context: import('@playwright/test').BrowserContext, page: Page, stage: Stage, profile: Record<'bn' | 'no_bn', ProfileResult>): Promise<void> {
  const trainer = await stage('trainer figures', () => trainerFigures(page));
  const bn = await stage('bn overhead', () => bnOverheadFigures(page));
  // The same CNN without BN, as measured in BN's rounds (the table has kept this row).
  trainer.lab_wasm_no_bn = bn.error ? figure([], bn.error) : bn.without_bn;
  const twin = await stage('twin vs single', () => twinFigures(context, page));
  const widget = await stage('widget figures', () => widgetFigures(page));
  const labThread = await stage('lab main thread', () => labMainThread(context));
  const sandbox = await stage('sandbox training', () => sandboxTraining(context));
  const probe = await stage('backend probe', () => labProbe());
  const firstVisit = await stage('first visit', () => firstVisitFigures());
  const accuracy = accuracyRuns ? await stage('time to 98%', () => accuracyFigures(page)) : undefined;
  const bytes = await stage('page bytes', async () => pageBytes(await browser.newContext({ viewport: { width: 1280, height: 800 } })));
  const long = await stage('long run', () => longRunFigures());
  const best = (prefix: string) =>
    Object.entries(trainer)
      .filter(([k, f]) => k.startsWith(prefix) && /^(lab|fit)_(webgpu|webgl|wasm|cpu)$/.test(k) && !f.error && f.runs.length)
      .sort((a, b) => b[1].median - a[1].median)[0];
  const bestLab = best('lab_');
  const bestFit = best('fit_');
  // Overheads are medians of per-round ratios: adjacent runs share the machine's load of the moment.
  const pairedSlowdown = (base: Figure, other: Figure): number => median(base.runs.map((b, i) => b / other.runs[i]! - 1));
  const plainWasm = trainer.lab_wasm!;
  const result = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, headless Chromium${quick ? ', --quick' : ''}`,
    rounds: ROUNDS,
    seconds_per_run: SECONDS,
    trainer_examples_per_second: trainer,
    custom_vs_fit: bestLab && bestFit ? bestLab[1].median / bestFit[1].median : null,
    custom_vs_fit_backends: { lab: bestLab?.[0] ?? null, fit: bestFit?.[0] ?? null },
    instrumentation_overhead: pairedSlowdown(plainWasm, trainer.lab_wasm_instrumented!),
    bn_overhead: bn.median,
    bn_overhead_rounds: bn,
    twin_vs_single: twin.median,
    twin_vs_single_rounds: twin,
    backend_probe: probe,
    ...firstVisit,
    // What "best available" trains at against the fastest backend chosen by hand, from the throughput runs above.
    auto_vs_best: probe.chosen && bestLab && trainer[`lab_${probe.chosen}`]?.runs.length ? trainer[`lab_${probe.chosen}`]!.median / bestLab[1].median : null,
    distributions_widget_update: widget,
    lab_main_thread_while_training: labThread,
    sandbox_training: sandbox,
    profile,
    first_load_bytes: bytes,
    ...(accuracy ? { time_to_98_percent: accuracy } : {}),
    long_run: long,
  };
  const fmt = (f: Figure) => (f.error ? `unavailable: ${f.error.slice(0, 60)}` : f.runs.length === 1 ? `${f.median.toFixed(1)} (one run)` : `${f.median.toFixed(1)} (${f.min.toFixed(1)}–${f.max.toFixed(1)})`);
  console.log(`\nBatch Normalization, live — benchmark (${result.machine}; ${ROUNDS} alternating rounds of ≥${SECONDS} s)\n`);
  printProfile(profile);
  console.log('\nTrainer throughput, examples/s, median (min–max), CNN 8/16/32 + BN, batch 32, Adam:');
  for (const [k, f] of Object.entries(trainer)) console.log(`  ${k.padEnd(24)} ${fmt(f)}`);
  console.log(`\n  custom_vs_fit            ${result.custom_vs_fit?.toFixed(2) ?? 'n/a'}  (${result.custom_vs_fit_backends.lab} / ${result.custom_vs_fit_backends.fit})`);
  console.log(`  instrumentation_overhead ${(result.instrumentation_overhead * 100).toFixed(1)}%  (wasm, median of per-round ratios)`);
  console.log(`  bn_overhead              ${describeBnOverhead(bn)}`);
  console.log(`  twin_vs_single           ${describeTwin(twin)}`);
  const probeLine = probe.outcomes.map((o) => `${o.backend} ${o.examplesPerSecond === null ? (o.note ?? 'n/a') : Math.round(o.examplesPerSecond)}`).join(' · ');
  console.log(`\nBest available (the lab's probe, fresh profile): ${probe.error ? `unavailable: ${probe.error.slice(0, 80)}` : `${probeLine} → ${probe.chosen}`}`);
  console.log(`  auto_vs_best             ${result.auto_vs_best === null ? 'n/a' : `${(result.auto_vs_best * 100).toFixed(0)}%`}  (lab_${probe.chosen} ÷ ${bestLab?.[0] ?? 'n/a'}, medians above)`);
  const ms = (v: number | null) => (v === null ? 'n/a' : `${(v / 1000).toFixed(1)} s`);
  console.log(`  first step after Start   ${ms(probe.start_to_first_step_ms)}  (trainer ready)`);
  console.log(`  first step after load    ${ms(probe.load_to_first_step_ms)}  (reload with autostart: MNIST cached, probe remembered)`);
  printFirstVisit(firstVisit);
  printSandbox(sandbox, `lab_wasm ${fmt(trainer.lab_wasm!)}, the lab's BN and plain twins`);
  console.log('\nDistributions widget, ms per update (sample, normalize, draw), median (min–max):');
  for (const [k, f] of Object.entries(widget)) console.log(`  ${k.padEnd(24)} ${fmt(f)}`);
  console.log(`\nLab page while the worker trains (wasm, ${labThread.steps} steps${Number.isFinite(labThread.training_seconds) ? `, ${labThread.training_seconds.toFixed(0)} s` : ''}):`);
  if (labThread.error) console.log(`  unavailable: ${labThread.error.slice(0, 80)}`);
  console.log(`  longest main-thread task   ${labThread.longest_task_ms.toFixed(0)} ms  (wall clock; ${labThread.long_tasks} tasks over 50 ms)`);
  console.log(`  longest own script         ${labThread.longest_own_script_ms === null ? 'n/a (no long animation frames here)' : `${labThread.longest_own_script_ms.toFixed(0)} ms`}  (long animation frames; target ≤ ${OWN_SCRIPT_MS} ms${labThread.longest_own_script_ms !== null && labThread.longest_own_script_ms > OWN_SCRIPT_MS ? ': MISSED' : ''})`);
  console.log('\nFirst-load bytes per page (KB): js / css / fonts / data');
  for (const [p, b] of Object.entries(bytes)) console.log(`  ${p.padEnd(32)} ${[b.js, b.css, b.fonts, b.data].map((v) => (v! / 1024).toFixed(0)).join(' / ')}`);
  if (accuracy) {
    console.log('\nTime to 98% test accuracy (inference mode, all 10 000 test images), wasm, batch 32, Adam 0.01, evaluated every 100 steps:');
    for (const [k, r] of Object.entries(accuracy)) console.log(`  ${k.padEnd(28)} ${describeAccuracy(r)}`);
  }
  printLongRun(long);
  if (outFile) {
    writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${outFile}`);
  }
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const stage: Stage = async (name, run) => {
    const t0 = performance.now();
    const result = await run();
    process.stderr.write(`${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    return result;
  };
  if (longRunOnly) {
    printLongRun(await stage('long run', () => longRunFigures()));
  } else if (profileOnly) {
    const profile = await stage('profile', () => profileFigures(page));
    console.log('');
    printProfile(profile);
    if (outFile) writeFileSync(outFile, `${JSON.stringify({ profile }, null, 2)}\n`);
  } else if (twinOnly) {
    const twin = await stage('twin vs single', () => twinFigures(context, page));
    console.log(`\n  twin_vs_single           ${describeTwin(twin)}`);
    if (outFile) writeFileSync(outFile, `${JSON.stringify({ twin_vs_single: twin.median, twin_vs_single_rounds: twin }, null, 2)}\n`);
  } else if (firstVisitOnly) {
    const firstVisit = await stage('first visit', () => firstVisitFigures());
    printFirstVisit(firstVisit);
    if (outFile) writeFileSync(outFile, `${JSON.stringify(firstVisit, null, 2)}\n`);
  } else if (sandboxOnly) {
    const sandbox = await stage('sandbox training', () => sandboxTraining(context));
    const twin = await stage('twin vs single', () => twinFigures(context, page));
    printSandbox(sandbox, `the lab page's twin, ${describeTwin(twin)}`);
    if (outFile) writeFileSync(outFile, `${JSON.stringify({ sandbox_training: sandbox, twin_vs_single: twin.median, twin_vs_single_rounds: twin }, null, 2)}\n`);
  } else if (bnOnly) {
    const profile = await stage('profile', () => profileFigures(page));
    const bn = await stage('bn overhead', () => bnOverheadFigures(page));
    console.log('');
    printProfile(profile);
    console.log(`\n  bn_overhead              ${describeBnOverhead(bn)}`);
    if (outFile) writeFileSync(outFile, `${JSON.stringify({ profile, bn_overhead: bn.median, bn_overhead_rounds: bn }, null, 2)}\n`);
  } else {
    await measureAll(context, page, stage, await stage('profile', () => profileFigures(page)));
  }
} finally {
  await browser.close();
  server.kill();
}
