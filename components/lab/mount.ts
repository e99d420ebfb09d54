import type { FromWorker, ToWorker } from '../../src/lib/train/protocol';
import type { SweepPoint, SweepSpec } from '../../src/lib/train/sweep';
import type { RunConfig } from '../../src/lib/train/config';
import { frameScheduler, need } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { CHART_NAMES, chartWidth, drawChart, historyCsv, type ChartName, type History } from './charts';
import { parseSettings, settingsToParams, type LabSettings } from './settings';
import { download, downloadModel } from './export';

type Trainer = { send(msg: ToWorker): void; terminate(): void };

/** A worker where the browser can run one; the same handler on the main thread otherwise. */
async function startTrainer(onMessage: (m: FromWorker) => void, onCrash: (why: string) => void): Promise<Trainer> {
  if (typeof Worker !== 'undefined') {
    const worker = new Worker(new URL('../../src/lib/train/train.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      onCrash(e.message || 'the training worker stopped unexpectedly');
    };
    return { send: (msg) => worker.postMessage(msg), terminate: () => worker.terminate() };
  }
  const { createTrainerHost } = await import('../../src/lib/train/host');
  const handle = createTrainerHost((m) => onMessage(m));
  return { send: (msg) => void handle(msg), terminate: () => undefined };
}

const LABELS = { bn: 'BN', gn: 'GN', 'noisy-bn': 'noisy BN', 'unused-bn': 'unused BN' } as const;
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const form = need<HTMLFormElement>(root, 'form');
  const $ = <T extends HTMLElement>(sel: string) => need<T>(root, sel);
  const out = (key: string) => $<HTMLOutputElement>(`[data-out="${key}"]`);
  const status = $<HTMLElement>('[data-status]');
  const alert = $<HTMLElement>('[data-widget-error]');
  const progress = $<HTMLProgressElement>('[data-progress]');
  const progressText = $<HTMLElement>('[data-progress-text]');
  const progressLabel = $<HTMLElement>('[data-progress-label]');
  const sweepBox = $<HTMLElement>('[data-sweep]');
  const charts = {
    loss: $<HTMLElement>('[data-chart="loss"]'),
    accuracy: $<HTMLElement>('[data-chart="accuracy"]'),
    percentiles: $<HTMLElement>('[data-chart="percentiles"]'),
    running: $<HTMLElement>('[data-chart="running"]'),
  };
  const layerSelect = $<HTMLSelectElement>('select[name="layer"]');

  // Settings: URL first (a shared link reproduces the run), then the form reflects them.
  const fromUrl = parseSettings(Object.fromEntries(new URLSearchParams(location.search)));
  let settings: LabSettings = fromUrl.settings;
  const writeForm = (s: LabSettings): void => {
    for (const [name, value] of Object.entries(settingsToParams(s))) {
      const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      if (field) field.value = value;
    }
  };
  writeForm(settings);

  let curves: History = { metrics: [], evals: [] };
  let phase: 'loading' | 'ready' | 'training' | 'paused' | 'finished' | 'sweeping' | 'failed' = 'loading';
  let pendingStart = settings.autostart;
  let trainer: Trainer | undefined;
  let sweepPoints: SweepPoint[] = [];
  let sweepSpec: SweepSpec | undefined;
  let exportRequested: 'norm' | 'plain' | undefined;

  // One chart per animation frame: four Plot renders in one task made the page stutter while training.
  const dirtyCharts = new Set<ChartName>();
  const chartFrame = frameScheduler(() => {
    const name = dirtyCharts.values().next().value;
    if (!name) return;
    dirtyCharts.delete(name);
    drawChart[name]({ target: charts[name], history: curves, steps: settings.config.steps, layer: Number(layerSelect.value), width: chartWidth(charts.loss) });
    if (dirtyCharts.size) chartFrame.schedule();
  });
  const redraw = (...names: ChartName[]): void => {
    for (const n of names.length ? names : CHART_NAMES) dirtyCharts.add(n);
    chartFrame.schedule();
  };

  const setPhase = (p: typeof phase): void => {
    phase = p;
    root.dataset.phase = p;
    const idle = p === 'ready' || p === 'paused';
    const button = (sel: string) => $<HTMLButtonElement>(sel);
    button('[data-action="start"]').disabled = !idle;
    button('[data-action="pause"]').disabled = p !== 'training';
    button('[data-action="step"]').disabled = !idle;
    button('[data-action="reset"]').disabled = p === 'loading' || p === 'sweeping';
    button('[data-action="cancel-sweep"]').disabled = p !== 'sweeping';
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-experiment]')) b.disabled = !(idle || p === 'finished');
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-export]')) b.disabled = curves.metrics.length === 0 || p === 'training' || p === 'sweeping';
  };

  const normLabel = (): string => LABELS[settings.config.norm];

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
        if (m.note) alert.textContent = m.note;
        status.textContent = `Ready on ${m.backend}${threads}.`;
        setPhase('ready');
        if (pendingStart) {
          pendingStart = false;
          send({ type: 'start' });
        }
        break;
      }
      case 'metrics': {
        curves.metrics.push({ step: m.metrics.norm?.step ?? 0, runs: m.metrics });
        out('step').textContent = String(m.metrics.norm?.step ?? 0);
        const examples = m.stepsPerSecond * settings.config.batchSize * Object.keys(m.metrics).length;
        out('speed').textContent = `${m.stepsPerSecond.toFixed(1)} steps/s (${Math.round(examples)} examples/s over both runs)`;
        out('tensors').textContent = String(m.tensors);
        redraw('loss', 'percentiles', 'running');
        break;
      }
      case 'eval-progress': {
        progressLabel.textContent = 'Final evaluation';
        progress.value = m.done / m.total;
        progressText.textContent = `${m.done} of ${m.total} test images (both runs together)`;
        // The live region speaks once; the progress bar carries the percentage.
        const evaluating = `Trained ${settings.config.steps} steps; evaluating both runs on every test image…`;
        if (status.textContent !== evaluating) status.textContent = evaluating;
        break;
      }
      case 'eval': {
        curves.evals.push({ step: m.results.norm?.step ?? 0, runs: m.results });
        const norm = m.results.norm;
        const plain = m.results.plain;
        if (norm) out('acc-norm').textContent = pct(norm.inferAccuracy);
        if (plain) out('acc-plain').textContent = pct(plain.inferAccuracy);
        if (norm) out('train-acc-norm').textContent = pct(norm.trainModeAccuracy);
        if (m.final) root.dataset.finalExamples = String(norm?.examples ?? 0);
        redraw('accuracy');
        break;
      }
      case 'state':
        if (m.state === 'finished') status.textContent = `Finished: ${settings.config.steps} steps. Test accuracy on all ${root.dataset.finalExamples ?? ''} test images (inference mode): ${normLabel()} ${out('acc-norm').textContent}, no BN ${out('acc-plain').textContent}.`;
        else status.textContent = m.state === 'training' ? 'Training…' : 'Paused.';
        setPhase(m.state);
        break;
      case 'sweep-point':
        sweepPoints.push(m.point);
        status.textContent = `Sweep: ${m.index + 1} of ${m.total} done.`;
        renderSweep();
        break;
      case 'sweep-done':
        status.textContent = m.cancelled ? 'Sweep cancelled.' : 'Sweep finished.';
        root.dataset.sweep = m.cancelled ? 'cancelled' : 'done';
        setPhase(curves.metrics.length && phase !== 'finished' ? 'paused' : 'ready');
        break;
      case 'model':
        if (exportRequested === m.run) void downloadModel(m.artifacts, `bn-live-${m.run}`);
        exportRequested = undefined;
        break;
      case 'error':
        alert.textContent = m.message;
        if (m.fatal) {
          status.textContent = 'The trainer could not start. Choose another backend and press Reset.';
          setPhase('failed');
          $<HTMLButtonElement>('[data-action="reset"]').disabled = false;
        }
        break;
    }
  };

  const send = (msg: ToWorker): void => trainer?.send(msg);

  const boot = async (): Promise<void> => {
    trainer?.terminate();
    curves = { metrics: [], evals: [] };
    for (const k of ['acc-norm', 'acc-plain', 'train-acc-norm']) out(k).textContent = '—';
    $('[data-label="norm"]').textContent = `test accuracy (${normLabel()})`;
    $('[data-label="norm-train"]').textContent = `test accuracy, training-mode statistics (${normLabel()})`;
    redraw();
    setPhase('loading');
    progressLabel.textContent = 'MNIST download';
    status.textContent = 'Loading MNIST and starting the trainer…';
    trainer = await startTrainer(onMessage, (why) => {
      alert.textContent = `The trainer crashed: ${why}. Press Reset to start it again.`;
      setPhase('failed');
      $<HTMLButtonElement>('[data-action="reset"]').disabled = false;
    });
    send({ type: 'init', config: settings.config, backend: settings.backend, baseUrl: location.href });
  };

  /** Validates the form; on a bad value keeps the current settings and says why. */
  const readForm = (): boolean => {
    const params: Record<string, string> = {};
    for (const el of Array.from(form.elements) as Array<HTMLInputElement | HTMLSelectElement>) {
      if (el.name && el.name !== 'layer') params[el.name] = el.value;
      el.removeAttribute('aria-invalid');
    }
    const parsed = parseSettings(params);
    if (parsed.problems.length) {
      alert.textContent = `Not applied: ${parsed.problems.join(' ').replaceAll('Link parameter', 'Setting')}`;
      for (const msg of parsed.problems) {
        const name = /"([^"]+)"/.exec(msg)?.[1];
        const field = form.elements.namedItem(name ?? '');
        if (field instanceof HTMLElement) field.setAttribute('aria-invalid', 'true');
      }
      return false;
    }
    alert.textContent = '';
    settings = { ...parsed.settings, autostart: false };
    const url = new URL(location.href);
    url.search = new URLSearchParams(settingsToParams(settings)).toString();
    history.replaceState(history.state, '', url);
    return true;
  };

  const renderSweep = (): void => {
    if (!sweepSpec) return;
    const names = Object.keys(sweepPoints[0]?.runs ?? {});
    const head = sweepSpec.kind === 'lr' ? 'learning rate' : 'batch size';
    const table = document.createElement('table');
    table.className = 'sweep-table';
    const caption = table.createCaption();
    caption.textContent = sweepSpec.kind === 'lr' ? `Learning-rate sweep, ${sweepSpec.steps} steps each: test accuracy (inference mode), or where the run failed` : `Batch-size sweep, ${sweepSpec.steps} steps each: BN vs GroupNorm test accuracy (inference mode)`;
    const header = table.createTHead().insertRow();
    for (const h of [head, ...names]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h === 'norm' ? normLabel() : h === 'plain' ? 'no BN' : h.toUpperCase();
      header.append(th);
    }
    const body = table.createTBody();
    for (const p of sweepPoints) {
      const row = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(p.value);
      row.append(th);
      for (const n of names) {
        const r = p.runs[n]!;
        const cell = row.insertCell();
        cell.dataset.run = n;
        cell.dataset.diverged = String(r.diverged);
        cell.textContent = r.diverged ? (r.divergedAtStep !== null ? `diverged at step ${r.divergedAtStep}` : `failed to learn (${pct(r.accuracy)})`) : pct(r.accuracy);
      }
    }
    sweepBox.replaceChildren(table);
  };

  const runSweep = (spec: SweepSpec, config: RunConfig): void => {
    sweepSpec = spec;
    sweepPoints = [];
    sweepBox.replaceChildren();
    root.dataset.sweep = 'running';
    setPhase('sweeping');
    status.textContent = 'Sweep running…';
    send({ type: 'sweep', sweep: spec, config });
  };

  const onClick = (event: Event): void => {
    const el = (event.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (!el || el.disabled) return;
    const action = el.dataset.action;
    if (action === 'start' || action === 'step') {
      send({ type: action });
    } else if (action === 'pause') {
      send({ type: 'pause' });
    } else if (action === 'reset') {
      if (readForm()) void boot();
    } else if (action === 'cancel-sweep') {
      send({ type: 'cancel-sweep' });
    } else if (el.dataset.experiment) {
      if (!readForm()) return;
      const c = settings.config;
      const kind = el.dataset.experiment;
      if (kind === 'lr') runSweep({ kind: 'lr', values: [0.01, 0.1, 0.5, 1, 2, 5], steps: 60 }, { ...c, optimizer: 'sgd' });
      else if (kind === 'batch') runSweep({ kind: 'batch', values: [2, 4, 8, 32, 128], steps: 60 }, c);
      else {
        // Noisy BN and the unused layer are ordinary twin runs with another normalization.
        settings = { ...settings, config: { ...c, norm: kind === 'noisy' ? 'noisy-bn' : 'unused-bn' } };
        writeForm(settings);
        pendingStart = true;
        void boot();
      }
    } else if (el.dataset.export) {
      const what = el.dataset.export;
      if (what === 'csv') download(historyCsv(curves), 'bn-live-curves.csv', 'text/csv');
      else if (what === 'json') download(JSON.stringify({ config: settings.config, ...curves }, null, 2), 'bn-live-curves.json', 'application/json');
      else {
        exportRequested = what === 'model-norm' ? 'norm' : 'plain';
        send({ type: 'export-model', run: exportRequested });
      }
    }
  };
  const onLayer = (): void => redraw('percentiles', 'running');
  const resize = new ResizeObserver(() => redraw());
  root.addEventListener('click', onClick);
  layerSelect.addEventListener('change', onLayer);
  resize.observe(charts.loss);
  if (fromUrl.problems.length) alert.textContent = fromUrl.problems.join(' ');
  await boot();
  return () => {
    chartFrame.cancel();
    resize.disconnect();
    root.removeEventListener('click', onClick);
    layerSelect.removeEventListener('change', onLayer);
    trainer?.terminate();
  };
}
