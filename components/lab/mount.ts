/**
 * The lab page's wiring: settings from the link and the form, the trainer client, the phase
 * machine, the charts and the experiments. Each job lives in its own module; this one connects
 * them and writes the sentences the reader sees from the data the worker sends.
 */
import { BACKEND_CHOICES, OPTIMIZERS, TWIN_NORM_SHORT, type BackendChoice, type BackendName } from '../../src/lib/train/config';
import type { FromWorker, RunName, SweepPoint, SweepSpec } from '../../src/lib/train/protocol';
import { plotWidth } from '../../src/lib/plot/mount';
import { formatPercent as pct, frameScheduler, need } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { showChartVerdict } from './captions';
import { CHART_NAMES, chartWidth, drawChart, historyCsv, type ChartName, type History } from './charts';
import { startTrainer, type TrainerClient } from './client';
import { EXPERIMENTS } from './experiments';
import { download, downloadModel } from './export';
import { applyPhase, type Phase } from './phases';
import { describeProbe, forgetProbes, measureBackends, rememberedProbe, type ProbeResult } from './probe';
import { readSettingsForm, settingsFromLink, settingsToParams, writeSettingsLink, type LabSettings } from './settings';
import { mountDigits } from './digits';
import { mountGuided } from './guided';
import { mountSavedRuns } from './saved-runs-view';
import { networksStep, type SavedRun } from './saved-runs';
import { drawSweepChart } from './sweep-chart';
import { renderSweepTable } from './sweep-table';

/** Where the lab becomes one screen (global.css's 68.75rem breakpoint): settings open, charts beside them. */
const ONE_SCREEN = '(min-width: 68.75rem)';
const sameSettings = (a: LabSettings, b: LabSettings): boolean => JSON.stringify(settingsToParams(a)) === JSON.stringify(settingsToParams(b));

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const form = need<HTMLFormElement>(root, 'form');
  const $ = <T extends HTMLElement>(sel: string) => need<T>(root, sel);
  const out = (key: string) => $<HTMLOutputElement>(`[data-out="${key}"]`);
  const status = $<HTMLElement>('[data-status]');
  const alert = $<HTMLElement>('[data-widget-error]');
  const progress = $<HTMLProgressElement>('[data-progress]');
  const progressText = $<HTMLElement>('[data-progress-text]');
  const progressLabel = $<HTMLElement>('[data-progress-label]');
  const probeLine = $<HTMLElement>('[data-probe-line]');
  const charts = Object.fromEntries(CHART_NAMES.map((n) => [n, $(`[data-chart="${n}"]`)])) as Record<ChartName, HTMLElement>;
  const layerSelect = $<HTMLSelectElement>('select[name="layer"]');
  const settingFields = (): Array<HTMLInputElement | HTMLSelectElement> =>
    (Array.from(form.elements) as Array<HTMLInputElement | HTMLSelectElement>).filter((el) => el.name && el.name !== 'layer');

  // Settings: the link first (a shared link reproduces the run), then the form reflects them.
  const fromUrl = settingsFromLink();
  let settings: LabSettings = fromUrl.settings;
  /** The settings the trainer was last initialised with. */
  let running: LabSettings | undefined;
  /** The settings of the run on screen: the trainer's, or the form's before the first init. */
  const live = (): LabSettings => running ?? settings;
  const settingsPanel = $<HTMLDetailsElement>('details.lab-settings');
  /** The folded settings' one-line summary: "CNN · BN · Adam 0.01 · batch 32 · WASM". */
  const summarize = (): void => {
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value ?? '';
    const label = (options: ReadonlyArray<readonly [string, string]>, name: string) => (options.find(([v]) => v === value(name))?.[1] ?? value(name)).split(/[:(]/)[0]!.trim();
    const norm = TWIN_NORM_SHORT[value('norm') as keyof typeof TWIN_NORM_SHORT] ?? value('norm');
    const backend = value('backend') === 'auto' ? 'fastest backend' : label(BACKEND_CHOICES, 'backend');
    $('[data-settings-summary]').textContent = `Settings: ${value('preset').toUpperCase()} · ${norm} · ${label(OPTIMIZERS, 'opt')} ${value('lr')} · batch ${value('batch')} · ${backend}`;
  };
  const writeForm = (s: LabSettings): void => {
    for (const [name, value] of Object.entries(settingsToParams(s))) {
      const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      if (field) field.value = value;
    }
    summarize();
  };
  writeForm(settings);
  // Folded on phones so Start and the loss chart come first; open where the side column has room.
  settingsPanel.open = matchMedia(ONE_SCREEN).matches;

  let curves: History = { metrics: [], evals: [] };
  let phase: Phase = 'loading';
  let pendingStart = settings.autostart;
  let trainer: TrainerClient | undefined;
  let sweep: { spec: SweepSpec; points: SweepPoint[] } | undefined;
  let exportRequested: RunName | undefined;
  /** The saved run the trainer was last initialised from, if any. */
  let resumed: SavedRun | undefined;
  /** Why the run is being continued on another backend, while it is. */
  let recovering: string | undefined;

  const setPhase = (p: Phase): void => {
    phase = p;
    applyPhase(root, p, curves.metrics.length > 0);
  };
  const normLabel = (): string => TWIN_NORM_SHORT[live().config.norm];
  const runLabel = (run: RunName): string => (run === 'norm' ? normLabel() : run === 'plain' ? 'no BN' : run.toUpperCase());

  // One chart per animation frame: four Plot renders in one task made the page stutter while training.
  const dirtyCharts = new Set<ChartName>();
  const chartFrame = frameScheduler(() => {
    const name = dirtyCharts.values().next().value;
    if (!name) return;
    dirtyCharts.delete(name);
    drawChart[name]({ target: charts[name], history: curves, steps: live().config.steps, layer: Number(layerSelect.value), width: chartWidth(charts.loss), overlay: savedRuns.overlay() });
    showChartVerdict($(`[data-verdict="${name}"]`), name, { curves, steps: live().config.steps, normName: normLabel(), finished: phase === 'finished' }, Number(layerSelect.value));
    if (dirtyCharts.size) chartFrame.schedule();
  });
  const redraw = (...names: ChartName[]): void => {
    for (const n of names.length ? names : CHART_NAMES) dirtyCharts.add(n);
    chartFrame.schedule();
  };
  // Saved runs: the live run is stored as it is evaluated; saved ones can be overlaid on the charts.
  const savedRuns = mountSavedRuns({
    region: $('[data-saved-runs]'),
    current: () => ({ curves, settings: running ?? settings, backend: root.dataset.backend }),
    send: (msg) => trainer?.send(msg),
    redraw: () => redraw('loss', 'accuracy'),
    load: (run) => {
      // The form's backend (and the rest) as the reader set it; the network and its run from the save.
      if (!applyForm()) return;
      settings = { ...settings, config: run.config };
      writeForm(settings);
      writeSettingsLink(settings);
      pendingStart = false;
      void boot(run);
    },
  });

  // The digit tools: gallery, pad, feature maps, every layer's band, confusion matrices.
  const digitTools = mountDigits({
    region: $('[data-digits]'),
    config: () => live().config,
    history: () => curves,
    send: (msg) => trainer?.send(msg),
    width: () => plotWidth($('[data-digits]'), { min: 280, max: 960 }),
  });
  // Guided experiments: a prediction first, then the run's verdict on the experiment's claim.
  const guided = mountGuided({ region: $('[data-guided]'), config: () => live().config, formConfig: () => settings.config, history: () => curves, send: (msg) => trainer?.send(msg) }, new URLSearchParams(location.search));
  // Its per-layer chart gets a frame of its own, after the four live charts'.
  const bandsFrame = frameScheduler(() => digitTools.redrawBands());

  const onMessage = (m: FromWorker): void => {
    switch (m.type) {
      case 'data-progress':
        progress.value = m.total ? m.loaded / m.total : 0;
        progressText.textContent = `${(m.loaded / 1e6).toFixed(1)} of ${(m.total / 1e6).toFixed(1)} MB`;
        break;
      case 'ready': {
        progress.value = 1;
        progressText.textContent = `loaded: ${m.trainCount} training and ${m.testCount} test images`;
        // WASM says how many threads it got: more than one only where the page is cross-origin isolated.
        const threads = m.threads ? ` (${m.threads === 1 ? 'one thread' : `${m.threads} threads`})` : '';
        out('backend').textContent = `${m.backend}${threads}`;
        root.dataset.backend = m.backend;
        if (m.threads) root.dataset.threads = String(m.threads);
        else delete root.dataset.threads;
        if (m.unavailable) alert.textContent = `${running?.backend} is unavailable here (${m.unavailable}); using ${m.backend}.`;
        if (resumed && recovering) {
          // The alert keeps the one line about the failure and what was done; the status moves on to "Training…".
          alert.textContent = `${recovering} Going on from step ${m.step} (its last saved networks) on ${m.backend}${threads}.`;
          recovering = undefined;
          pendingStart = false;
          trainer?.send({ type: 'start' });
        } else if (resumed) {
          const done = m.step >= resumed.config.steps;
          status.textContent = `Loaded the saved run at step ${m.step} on ${m.backend}${threads}: its networks are in the digit tools below. ${done ? 'It had finished; Start trains a new run.' : `Start goes on from step ${m.step} (the optimizer's moments start afresh).`}`;
          const last = resumed.curves.evals.at(-1)?.runs;
          if (last?.norm) out('acc-norm').textContent = pct(last.norm.inferAccuracy);
          if (last?.plain) out('acc-plain').textContent = pct(last.plain.inferAccuracy);
          out('step').textContent = String(m.step);
          setPhase(done ? 'finished' : 'paused');
        } else {
          status.textContent = `Ready on ${m.backend}${threads}.`;
          setPhase('ready');
        }
        if (pendingStart) {
          pendingStart = false;
          trainer?.send({ type: 'start' });
        }
        break;
      }
      case 'metrics': {
        const step = m.metrics.norm?.step ?? 0;
        curves.metrics.push({ step, runs: m.metrics });
        out('step').textContent = String(step);
        const examples = m.stepsPerSecond * live().config.batchSize * Object.keys(m.metrics).length;
        out('speed').textContent = `${m.stepsPerSecond.toFixed(1)} steps/s (${Math.round(examples)} examples/s over both runs)`;
        out('tensors').textContent = String(m.tensors);
        showTrainingProgress(step, m.stepsPerSecond);
        redraw('loss', 'percentiles', 'running');
        bandsFrame.schedule();
        break;
      }
      case 'diverged':
        alert.textContent = `The ${m.run === 'norm' ? 'normalized' : 'plain'} run diverged by step ${m.step}: its loss is ${m.loss}. The other run goes on.`;
        break;
      case 'eval-progress': {
        progressLabel.textContent = 'Final evaluation';
        progress.value = m.done / m.total;
        progressText.textContent = `${m.done} of ${m.total} test images (both runs together)`;
        // The live region speaks once; the progress bar carries the percentage.
        const evaluating = `Trained ${live().config.steps} steps; evaluating both runs on every test image…`;
        if (status.textContent !== evaluating) status.textContent = evaluating;
        break;
      }
      case 'eval': {
        const { norm, plain } = m.results;
        curves.evals.push({ step: norm?.step ?? 0, runs: m.results });
        if (norm) out('acc-norm').textContent = pct(norm.inferAccuracy);
        if (plain) out('acc-plain').textContent = pct(plain.inferAccuracy);
        if (norm?.trainModeAccuracy !== undefined) out('train-acc-norm').textContent = pct(norm.trainModeAccuracy);
        if (m.final) root.dataset.finalExamples = String(norm?.examples ?? 0);
        redraw('accuracy');
        break;
      }
      case 'state':
        clock.mark(m.state === 'training');
        if (m.state === 'finished') {
          status.textContent = `Finished: ${live().config.steps} steps. Test accuracy on all ${root.dataset.finalExamples ?? ''} test images (inference mode): ${normLabel()} ${out('acc-norm').textContent}, no BN ${out('acc-plain').textContent}.`;
        } else status.textContent = m.state === 'training' ? 'Training…' : 'Paused.';
        setPhase(m.state);
        break;
      case 'sweep-point':
        if (!sweep) break;
        sweep.points.push(m.point);
        status.textContent = `Sweep: ${m.index + 1} of ${m.total} done.`;
        drawSweepChart($('[data-sweep-chart]'), sweep.spec, sweep.points, runLabel, chartWidth(charts.loss));
        renderSweepTable($('[data-sweep-table]'), sweep.spec, sweep.points, runLabel);
        break;
      case 'sweep-done':
        status.textContent = m.cancelled ? 'Sweep cancelled.' : 'Sweep finished.';
        root.dataset.sweep = m.cancelled ? 'cancelled' : 'done';
        setPhase(curves.metrics.length ? 'paused' : 'ready');
        break;
      case 'model':
        if (exportRequested === m.run) void downloadModel(m.artifacts, `bn-live-${m.run}`);
        exportRequested = undefined;
        break;
      case 'error':
        alert.textContent = m.message;
        if (m.fatal) {
          if (curves.metrics.length) {
            // Mid-run: this worker's backend is broken. Go on from the saved networks on the next
            // fastest backend; without saved networks, say what the reader can do.
            trainer?.terminate();
            trainer = undefined;
            if (goOnElsewhere()) break;
            status.textContent = 'Training stopped before its networks were saved. Choose another backend in the settings and press Reset to start again.';
            savedRuns.crashed();
          } else status.textContent = 'The trainer could not start. Choose another backend and press Reset.';
          setPhase('failed');
        }
        break;
    }
    savedRuns.hear(m);
    digitTools.hear(m);
    guided.hear(m);
  };

  /** Training time so far, pauses excluded. */
  const clock = (() => {
    let total = 0;
    let since: number | null = null;
    return {
      mark(running: boolean): void {
        if (since !== null) total += performance.now() - since;
        since = running ? performance.now() : null;
      },
      seconds: (): number => (total + (since === null ? 0 : performance.now() - since)) / 1000,
      reset(): void {
        total = 0;
        since = null;
      },
    };
  })();
  const showTrainingProgress = (step: number, stepsPerSecond: number): void => {
    const steps = live().config.steps;
    progressLabel.textContent = 'Training';
    progress.value = step / steps;
    const left = stepsPerSecond > 0 ? `, about ${Math.ceil((steps - step) / stepsPerSecond)} s left` : '';
    progressText.textContent = `step ${step} of ${steps}: ${Math.round(clock.seconds())} s${left}`;
  };

  /**
   * (Re)initialises the trainer with the current settings; a live worker keeps its decoded MNIST.
   * With a saved run, its networks and curves come back and training goes on from its step.
   */
  const boot = async (saved?: SavedRun): Promise<void> => {
    guided.abandon();
    running = settings;
    clock.reset();
    // A saved run goes on from its networks' step: the curves after it are dropped, as they will be retrained.
    const from = saved ? networksStep(saved) : 0;
    curves = saved ? { metrics: saved.curves.metrics.filter((m) => m.step <= from), evals: saved.curves.evals.filter((e) => e.step <= from) } : { metrics: [], evals: [] };
    resumed = saved;
    if (saved) savedRuns.continueRun(saved, curves);
    digitTools.reset();
    for (const k of ['acc-norm', 'acc-plain', 'train-acc-norm']) out(k).textContent = '—';
    $('[data-label="norm"]').textContent = `test accuracy (${normLabel()})`;
    $('[data-label="norm-train"]').textContent = `test accuracy, training-mode statistics (${normLabel()})`;
    redraw();
    setPhase('loading');
    progressLabel.textContent = 'MNIST download';
    status.textContent = 'Loading MNIST and starting the trainer…';
    trainer ??= await startTrainer(onMessage, (why) => {
      trainer?.terminate();
      trainer = undefined;
      alert.textContent = `The trainer crashed: ${why}. Press Reset to start it again.`;
      setPhase('failed');
      savedRuns.crashed();
    });
    const resume = saved ? { models: saved.models, step: from } : undefined;
    trainer.send({ type: 'init', config: settings.config, backend: await chooseBackend(), baseUrl: location.href, ...(resume ? { resume } : {}) });
  };

  /**
   * After a backend failed mid-run (a lost WebGL context, say): the same run, from its last saved
   * networks, on the next fastest backend the probe measured (else WASM). False when no networks
   * were saved yet.
   */
  const goOnElsewhere = (): boolean => {
    const saved = savedRuns.resumable();
    const failed = root.dataset.backend as BackendName | undefined;
    if (!saved || !failed) return false;
    const measured = (JSON.parse(root.dataset.probe ?? '{}') as Partial<ProbeResult>).outcomes ?? [];
    const faster = measured.filter((o) => o.backend !== failed && o.examplesPerSecond !== null).sort((a, b) => b.examplesPerSecond! - a.examplesPerSecond!);
    const next: BackendName = faster[0]?.backend ?? (failed === 'wasm' ? 'cpu' : 'wasm');
    recovering = `${alert.textContent?.replace(/^Training stopped: /, `Training on ${failed} stopped: `) ?? `Training on ${failed} stopped.`}`;
    settings = { ...settings, backend: next, config: saved.config };
    writeForm(settings);
    writeSettingsLink(settings);
    void boot(saved);
    return true;
  };

  /** The backend to train on: as chosen, or for "best available" the fastest one measured here. */
  const chooseBackend = async (): Promise<BackendChoice> => {
    if (settings.backend !== 'auto') return settings.backend;
    const known = rememberedProbe(settings.config);
    if (known) {
      root.dataset.probe = JSON.stringify(known);
      probeLine.textContent = `${describeProbe(known.outcomes, known.chosen)} (measured ${new Date(known.measuredAt).toLocaleString()})`;
      return known.chosen;
    }
    status.textContent = 'Measuring which backend trains this network fastest…';
    const result = await measureBackends(settings.config, (outcomes) => (probeLine.textContent = describeProbe(outcomes)));
    probeLine.textContent = describeProbe(result.outcomes, result.chosen);
    // What was measured, for readers poking from the console and for the browser tests.
    root.dataset.probe = JSON.stringify(result);
    status.textContent = 'Loading MNIST and starting the trainer…';
    return result.chosen;
  };

  /** Applies the form; on a bad value keeps the current settings and marks the field that is wrong. */
  const applyForm = (): boolean => {
    const values = Object.fromEntries(settingFields().map((el) => [el.name, el.value]));
    for (const el of settingFields()) el.removeAttribute('aria-invalid');
    const read = readSettingsForm(values);
    if ('problems' in read) {
      alert.textContent = `Not applied: ${read.problems.map((p) => p.message).join(' ')}`;
      for (const p of read.problems) (form.elements.namedItem(p.field) as HTMLElement | null)?.setAttribute('aria-invalid', 'true');
      return false;
    }
    alert.textContent = '';
    settings = read.settings;
    writeSettingsLink(settings);
    return true;
  };

  const startExperiment = (id: string): void => {
    const experiment = EXPERIMENTS.find((e) => e.id === id);
    if (!experiment || !applyForm()) return;
    const plan = experiment.plan(settings.config);
    if (!guided.ready(experiment)) return;
    if (plan.kind === 'twin') {
      settings = { ...settings, config: plan.config };
      writeForm(settings);
      writeSettingsLink(settings);
      pendingStart = true;
      void boot();
      // After boot(), which abandons any guided run before its first await.
      guided.begin(experiment);
      return;
    }
    guided.begin(experiment);
    sweep = { spec: plan.spec, points: [] };
    $('[data-sweep-table]').replaceChildren();
    $('[data-sweep-chart]').replaceChildren();
    root.dataset.sweep = 'running';
    setPhase('sweeping');
    status.textContent = `${experiment.label} running…`;
    trainer?.send({ type: 'sweep', sweep: plan.spec, config: plan.config });
  };

  const onClick = (event: Event): void => {
    const el = (event.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (!el || el.disabled) return;
    const action = el.dataset.action;
    if (action === 'start') {
      if (!applyForm()) return;
      // On a phone the charts sit below the controls: bring the loss chart into view as training starts.
      if (!matchMedia(ONE_SCREEN).matches) {
        charts.loss.closest('figure')?.scrollIntoView({ block: 'end', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
      }
      // Start applies the form: new settings (the backend included) or a finished run start afresh.
      if (!running || !trainer || phase === 'finished' || phase === 'failed' || !sameSettings(settings, running)) {
        pendingStart = true;
        void boot();
      } else trainer.send({ type: 'start' });
    } else if (action === 'step' || action === 'pause' || action === 'cancel-sweep') {
      trainer?.send({ type: action });
    } else if (action === 'measure') {
      forgetProbes();
      if (applyForm()) void boot();
    } else if (action === 'reset') {
      if (applyForm()) void boot();
    } else if (el.dataset.experiment) {
      startExperiment(el.dataset.experiment);
    } else if (el.dataset.export) {
      const what = el.dataset.export;
      if (what === 'csv') download(historyCsv(curves), 'bn-live-curves.csv', 'text/csv');
      else if (what === 'json') download(JSON.stringify({ config: running?.config, ...curves }, null, 2), 'bn-live-curves.json', 'application/json');
      else {
        exportRequested = what === 'model-norm' ? 'norm' : 'plain';
        trainer?.send({ type: 'export-model', run: exportRequested });
      }
    }
  };
  const onLayer = (): void => redraw('percentiles', 'running');
  const onInput = (): void => {
    summarize();
    guided.refreshLinks();
  };
  form.addEventListener('input', onInput);
  const resize = new ResizeObserver(() => {
    redraw();
    bandsFrame.schedule();
  });
  root.addEventListener('click', onClick);
  layerSelect.addEventListener('change', onLayer);
  resize.observe(charts.loss);
  if (fromUrl.problems.length) alert.textContent = fromUrl.problems.join(' ');
  await boot();
  return () => {
    chartFrame.cancel();
    bandsFrame.cancel();
    resize.disconnect();
    digitTools.dispose();
    root.removeEventListener('click', onClick);
    layerSelect.removeEventListener('change', onLayer);
    form.removeEventListener('input', onInput);
    trainer?.terminate();
    savedRuns.dispose();
  };
}
