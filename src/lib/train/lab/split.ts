import type { Mnist } from '../../data/mnist';
import type { BackendName, RunConfig } from '../config';
import { openChannel, type Channel, type Port } from '../core/channel';
import type { ModelArtifactsJson } from '../core/weights';
import { joinDigitParts } from './inspect';
import type { EvaluateOptions, LabTrainer } from './lab-trainer';
import type { HelperCommand, HelperEvent, HelperReplies, HelperRequest, ToHelper } from './pair-protocol';
import type { DigitPredictions, EvalResult, FeatureMaps, PerRun, ResumeState, RunMetrics, RunName, RunStatus } from './protocol';
import { TwinTrainer } from './trainer';

export type Helper = Channel<HelperCommand, HelperRequest, HelperReplies>;

/**
 * The lead's end of the port to the helper worker. `onProgress` hears the helper's evaluation
 * progress (examples of its twin done).
 */
export function openHelper(port: MessagePort, onProgress: (done: number) => void): Helper {
  const adapter: Port<ToHelper> = {
    postMessage: (m, transfer = []) => port.postMessage(m, transfer),
    get onmessage() {
      return port.onmessage;
    },
    set onmessage(f) {
      port.onmessage = f;
    },
    // A helper that dies is seen by the page (its worker's error event), which closes both workers.
    onerror: null,
    terminate: () => port.close(),
  };
  return openChannel<HelperCommand, HelperRequest, HelperReplies, HelperEvent>(adapter, (e) => onProgress(e.done), () => undefined);
}

/**
 * The twins each in a worker of its own, so that a second core trains the second network: the
 * normalized twin here (a TwinTrainer of one), the plain twin in the helper. Both build the same
 * initial weights from the seed and draw the same batches in the same order from their own copy
 * of MNIST, so the curves are those of one worker, bit for bit on WASM. Each step is sent to the
 * helper without waiting; every read waits for both, which keeps the two in step.
 */
export class SplitTrainer implements LabTrainer {
  readonly #local: TwinTrainer;
  readonly #helper: Helper;
  #helperProgress: (done: number) => void = () => undefined;
  #helperStatus: RunStatus = 'training';

  private constructor(local: TwinTrainer, helper: Helper) {
    this.#local = local;
    this.#helper = helper;
  }

  /**
   * Builds the helper's twin (sending MNIST when `sendData`) and this worker's. Rejects when the
   * helper cannot train on `backend`; the caller then trains both twins here.
   */
  static async start(helperPort: MessagePort, config: RunConfig, data: Mnist, backend: BackendName, sendData: boolean, resume?: ResumeState): Promise<SplitTrainer> {
    let progress: (done: number) => void = () => undefined;
    const helper = openHelper(helperPort, (done) => progress(done));
    await helper.request({ type: 'pair-init', config, backend, variants: [{ name: 'plain', norm: null }], ...(sendData ? { data } : {}), ...(resume ? { resume } : {}) });
    const local = new TwinTrainer(config, data, [{ name: 'norm', norm: config.norm }]);
    if (resume) await local.restore(resume);
    const split = new SplitTrainer(local, helper);
    progress = (done) => split.#helperProgress(done);
    return split;
  }

  get config(): RunConfig {
    return this.#local.config;
  }
  get step(): number {
    return this.#local.step;
  }
  get done(): boolean {
    return this.#local.step >= this.config.steps || (this.#local.done && this.#helperStatus !== 'training');
  }
  get runNames(): RunName[] {
    return ['norm', 'plain'];
  }

  trainStep(): void {
    this.#helper.send({ type: 'pair-step' });
    this.#local.trainStep();
  }

  async readMetrics(): Promise<PerRun<RunMetrics>> {
    const [mine, theirs] = await Promise.all([this.#local.readMetrics(), this.#helper.request({ type: 'pair-metrics' })]);
    this.#helperStatus = theirs.plain?.status ?? this.#helperStatus;
    return { ...mine, ...theirs };
  }

  async evaluate(examples?: number, onProgress?: (done: number, total: number) => void, options: EvaluateOptions = {}): Promise<PerRun<EvalResult>> {
    let mine = 0;
    let theirs = 0;
    let total = 0;
    const report = (): void => {
      if (total) onProgress?.(mine + theirs, total);
    };
    this.#helperProgress = (done) => {
      theirs = done;
      report();
    };
    try {
      const [a, b] = await Promise.all([
        this.#local.evaluate(examples, (done, n) => {
          mine = done;
          total = 2 * n;
          report();
        }, options),
        this.#helper.request({ type: 'pair-evaluate', ...(examples !== undefined ? { examples } : {}), options }),
      ]);
      return { ...a, ...b };
    } finally {
      this.#helperProgress = () => undefined;
    }
  }

  async galleryPredictions(): Promise<PerRun<number[]>> {
    const [a, b] = await Promise.all([this.#local.galleryPredictions(), this.#helper.request({ type: 'pair-gallery' })]);
    return { ...a, ...b };
  }

  async exportNetworks(only?: RunName): Promise<PerRun<ModelArtifactsJson>> {
    const [a, b] = await Promise.all([
      only === 'plain' ? {} : this.#local.exportNetworks(only),
      only === 'norm' ? {} : this.#helper.request({ type: 'pair-export', ...(only ? { only } : {}) }),
    ]);
    return { ...a, ...b };
  }

  async inspectDigit(pixels: Float32Array, layer: number): Promise<{ predictions: DigitPredictions; maps: FeatureMaps }> {
    const parts = await Promise.all([this.#local.inspectPart(pixels, layer), this.#helper.request({ type: 'pair-inspect', pixels, layer })]);
    return joinDigitParts(parts, layer);
  }

  dispose(): void {
    this.#helper.send({ type: 'pair-dispose' });
    this.#local.dispose();
  }
}
