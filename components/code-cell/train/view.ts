/**
 * "Train with my BN" on the page: loads what the sandbox needs (inputs.ts), starts the run in
 * the sandbox (sandbox.ts), draws both runs' curves as they arrive and writes the verdict
 * (verdict.ts) when the run ends. The page itself never runs the reader's code or trains.
 */
import trainWorkerUrl from './my-bn.worker.ts?worker&url';
import { getSandbox, type TrainingRun } from '../sandbox';
import { drawTrainingCharts } from './chart';
import { trainingInputs } from './inputs';
import type { EvalRecord, Place, StepRecord, TrainEvent } from './protocol';
import { verdict, type RunOutcome } from './verdict';

let workerSource: Promise<string> | undefined;
const trainWorkerSource = (): Promise<string> =>
  (workerSource ??= fetch(trainWorkerUrl).then((r) => {
    if (!r.ok) throw new Error(`could not load the training worker (HTTP ${r.status})`);
    return r.text();
  }));

const formatRate = (n: number): string => Math.round(n).toLocaleString('en');

export interface TrainingView {
  start(code: string, backwardCode?: string): Promise<void>;
  dispose(): void;
}

export function trainingView(root: HTMLElement): TrainingView {
  const q = <T extends HTMLElement>(sel: string): T => root.querySelector<T>(sel)!;
  const startButton = q<HTMLButtonElement>('[data-train-start]');
  const stopButton = q<HTMLButtonElement>('[data-train-stop]');
  const stepsSelect = q<HTMLSelectElement>('[data-train-steps]');
  const status = q('[data-train-status]');
  const progress = q<HTMLProgressElement>('[data-train-progress]');
  const charts = q('[data-train-charts]');
  const lossChart = q('[data-train-loss]');
  const accuracyChart = q('[data-train-accuracy]');
  const verdictLine = q('[data-train-verdict]');
  let run: TrainingRun | undefined;
  let frame = 0;
  let stepsDone = 0;
  /** The latest run's charts, drawn again when the column's width changes (a phone turned). */
  let drawLatest: (() => void) | undefined;
  let chartsWidth = 0;
  new ResizeObserver(([entry]) => {
    const width = Math.round(entry!.contentRect.width);
    if (width === chartsWidth) return;
    chartsWidth = width;
    cancelAnimationFrame(frame);
    if (drawLatest) frame = requestAnimationFrame(drawLatest);
  }).observe(charts);

  const finish = (outcome: RunOutcome, speed?: string): void => {
    cancelAnimationFrame(frame);
    run = undefined;
    const v = verdict(outcome);
    verdictLine.textContent = v.text;
    verdictLine.dataset.verdict = v.kind;
    if (speed) status.textContent = speed;
    progress.hidden = true;
    stopButton.hidden = true;
    startButton.disabled = false;
    stepsSelect.disabled = false;
    root.dataset.trainState = 'done';
  };

  const start = async (code: string, backwardCode?: string): Promise<void> => {
    run?.cancel();
    const steps = Number(stepsSelect.value);
    stepsDone = 0;
    const outcome: RunOutcome = { steps: [], evals: [], notes: [] };
    const records = { steps: [] as StepRecord[], evals: [] as EvalRecord[] };
    root.dataset.trainState = 'running';
    startButton.disabled = true;
    stepsSelect.disabled = true;
    verdictLine.textContent = '';
    delete verdictLine.dataset.verdict;
    progress.hidden = false;
    progress.value = 0;
    status.textContent = 'Loading MNIST and tfjs’s WASM binary for the sandbox…';
    let inputs;
    try {
      [inputs] = await Promise.all([
        trainingInputs(steps, (p) => {
          progress.value = p.total ? p.loaded / p.total : 0;
          status.textContent = `Loading MNIST for the sandbox: ${Math.round((100 * p.loaded) / Math.max(p.total, 1))}%`;
        }),
        trainWorkerSource(),
      ]);
    } catch (err) {
      finish({ ...outcome, ended: { kind: 'error', message: `the data for training could not be loaded (${err instanceof Error ? err.message : String(err)})` } });
      return;
    }
    let sandbox;
    try {
      sandbox = await getSandbox();
    } catch (err) {
      finish({ ...outcome, ended: { kind: 'error', message: `the sandbox could not start (${err instanceof Error ? err.message : String(err)})` } });
      return;
    }
    charts.hidden = false;
    lossChart.setAttribute('aria-label', 'Training loss of both runs');
    accuracyChart.setAttribute('aria-label', 'Test accuracy of both runs');
    drawTrainingCharts({ loss: lossChart, accuracy: accuracyChart }, [], [], steps);
    status.textContent = 'Starting tfjs on WASM in the sandbox…';
    progress.value = 0;
    stopButton.hidden = false;
    let gradient = '';
    let place: Place | undefined;
    drawLatest = () => drawTrainingCharts({ loss: lossChart, accuracy: accuracyChart }, records.steps, records.evals, steps);
    const redraw = (): void => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(drawLatest!);
    };
    const onEvent = (e: TrainEvent): void => {
      switch (e.type) {
        case 'started':
          gradient = e.gradient === 'backward' ? 'the gradient is your batchNormBackward (you solved the backward exercise)' : 'the gradient is automatic differentiation through your ops';
          status.textContent = `Training on WASM in the sandbox; ${gradient}.`;
          return;
        case 'at':
          place = e.place;
          return;
        case 'step':
          records.steps.push(e.record);
          outcome.steps.push(e.record);
          stepsDone = e.record.step + 1;
          progress.value = stepsDone / steps;
          status.textContent = `Step ${e.record.step + 1} of ${steps}; ${gradient}.`;
          redraw();
          return;
        case 'eval':
          records.evals.push(e.record);
          outcome.evals.push(e.record);
          redraw();
          return;
        case 'note':
          outcome.notes.push(e.text);
          return;
        case 'done': {
          drawTrainingCharts({ loss: lossChart, accuracy: accuracyChart }, records.steps, records.evals, steps);
          // The charts' text alternatives: where the two runs ended.
          const lastStep = records.steps[records.steps.length - 1];
          const lastEval = records.evals[records.evals.length - 1];
          if (lastStep) lossChart.setAttribute('aria-label', `Training loss of both runs over ${lastStep.step + 1} steps: yours ends at ${lastStep.loss.mine.toFixed(3)}, the built-in BN’s at ${lastStep.loss.site.toFixed(3)}`);
          if (lastEval) accuracyChart.setAttribute('aria-label', `Test accuracy of both runs: yours ${(100 * lastEval.accuracy.mine).toFixed(1)}%, the built-in BN’s ${(100 * lastEval.accuracy.site).toFixed(1)}% at step ${lastEval.step}`);
          finish(outcome, `${outcome.steps.length} steps of both runs at ${formatRate(e.examplesPerSecond)} examples/s (WASM in the sandbox); ${gradient}.`);
          return;
        }
        case 'failed':
          finish({ ...outcome, ended: { kind: 'error', place: e.place ?? place, message: `${e.error.name}: ${e.error.message}` } });
          return;
        case 'train-stopped':
          finish({ ...outcome, ended: { kind: 'stopped', place: e.place ?? place, message: `${e.afterMs / 1000} s` } });
          return;
      }
    };
    run = sandbox.train({ source: await trainWorkerSource(), wasm: inputs.wasm, data: inputs.data, steps, code, ...(backwardCode ? { backwardCode } : {}) }, onEvent);
  };

  const onStop = (): void => {
    run?.cancel();
    finish({ steps: [], evals: [], notes: [] });
    verdictLine.textContent = `You stopped the run after ${stepsDone} steps.`;
    verdictLine.dataset.verdict = 'stopped';
  };
  stopButton.addEventListener('click', onStop);
  startButton.disabled = false;
  return {
    start,
    dispose() {
      run?.cancel();
      cancelAnimationFrame(frame);
      stopButton.removeEventListener('click', onStop);
    },
  };
}
