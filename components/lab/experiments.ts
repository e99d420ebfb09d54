/**
 * The lab's experiments, one entry each: Lab.astro renders a button and its description from
 * this list, and the page runs what `plan` returns — a sweep of short twin runs in the worker, or
 * an ordinary twin run with other settings. An entry with a `guide` is a guided experiment: a
 * question, a prediction the reader chooses first, and after the run an explanation built on the
 * verdict (src/lib/lab/verdicts.ts) of its claim on this run. A new experiment is one entry here
 * (and its test).
 */
import { LAB_DEFAULT_CONFIG, PRESET_DEFAULTS, type RunConfig } from '../../src/lib/train/config';
import type { SweepSpec } from '../../src/lib/train/lab/protocol';
import type { Claim, Verdict } from '../../src/lib/lab/verdicts';

export type ExperimentPlan = { kind: 'sweep'; spec: SweepSpec; config: RunConfig } | { kind: 'twin'; config: RunConfig };

export interface Guide {
  /** The question the reader predicts the answer to. */
  question: string;
  /** The answers to choose from (a radio group); `expected` is the one the claim stands for. */
  choices: ReadonlyArray<{ id: string; text: string }>;
  expected: string;
  /** What the run must show for the expected answer, checked on this run by the verdict code. */
  claim: Claim;
  /** Why, once the run is done: builds on this run's verdict (its sentence and figures). */
  explain(verdict: Verdict): string;
  /** Read this gallery digit (0 is the test set's first, a 7) after the run; claims about one digit need it. */
  inspectDigit?: number;
}

export interface Experiment {
  id: string;
  label: string;
  /** One sentence: what it runs and what to look for. */
  describe: string;
  /** What to run, from the settings on the form. A guided experiment sets everything but the seed and backend. */
  plan(config: RunConfig): ExperimentPlan;
  guide?: Guide;
}

/** One of a verdict's figures (NaN where the verdict has none by that name). */
const fig = (v: Verdict, name: string): number => v.figures[name] ?? Number.NaN;

/** A guided run: its own settings over the lab's defaults, the form's seed (a reader can try another). */
const guidedConfig = (c: RunConfig, over: Partial<RunConfig>): RunConfig => ({ ...LAB_DEFAULT_CONFIG, seed: c.seed, ...over });
/** The paper's Figure 1 network with its SGD settings. */
const FIGURE_1: Partial<RunConfig> = { preset: 'mlp', ...PRESET_DEFAULTS.mlp };

export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'lr',
    label: 'Learning-rate sweep',
    describe: 'Six 60-step twin runs with plain SGD at rates from 0.01 to 5: the plain network stops learning at a lower rate than the normalized one.',
    plan: (c) => ({ kind: 'sweep', spec: { kind: 'lr', values: [0.01, 0.1, 0.5, 1, 2, 5], steps: 60 }, config: { ...c, optimizer: 'sgd' } }),
  },
  {
    id: 'batch',
    label: 'Batch-size sweep: BN vs GN',
    describe: "Five 60-step runs of BN against GroupNorm at batches from 2 to 128: BN suffers at tiny batches, GroupNorm's statistics do not depend on the batch.",
    plan: (c) => ({ kind: 'sweep', spec: { kind: 'batch', values: [2, 4, 8, 32, 128], steps: 60 }, config: c }),
  },
  {
    id: 'noisy',
    label: 'Noisy BN vs BN',
    describe: 'A twin run whose BN adds a random per-channel scale and shift at every step (Santurkar et al.): it still trains, so stable input distributions are not what BN needs.',
    plan: (c) => ({ kind: 'twin', config: { ...c, norm: 'noisy-bn' } }),
  },
  {
    id: 'unused',
    label: 'The unused BN layer',
    describe: 'A twin run whose BN layers are built but never called: the two curves coincide, the pitfall of a layer missing from the forward pass.',
    plan: (c) => ({ kind: 'twin', config: { ...c, norm: 'unused-bn' } }),
  },
  {
    id: 'guided-lr',
    label: 'Raise the learning rate',
    describe: 'Four 60-step twin runs of the CNN with plain SGD at rates 0.1, 0.5, 2 and 5; a run that ends at 20% test accuracy or below, or whose loss overflows, has failed.',
    plan: (c) => ({ kind: 'sweep', spec: { kind: 'lr', values: [0.1, 0.5, 2, 5], steps: 60 }, config: guidedConfig(c, { preset: 'cnn', ...PRESET_DEFAULTS.cnn, optimizer: 'sgd' }) }),
    guide: {
      question: 'As the learning rate rises, which network stops learning first?',
      choices: [
        { id: 'plain', text: 'The plain network, at a lower rate than the BN one' },
        { id: 'same', text: 'Both at the same rate' },
        { id: 'bn', text: 'The BN network: normalizing makes large steps worse' },
      ],
      expected: 'plain',
      claim: { kind: 'plain-fails-first' },
      explain: (v) =>
        v.holds
          ? `The plain network's step is as large as the rate says: at rate ${fig(v, 'plain')} it overshoots and its activations blow up. A BN layer's output does not change when its weights are scaled, BN((aW)u) = BN(Wu), and the gradient shrinks as the weights grow (by 1/a), so a large rate inflates the weights instead of wrecking the output (Ioffe & Szegedy, Sec. 3.3).`
          : "BN's scale invariance usually lets it take rates at which the plain network fails (Ioffe & Szegedy, Sec. 3.3); this seed did not show it within 60 steps. Try another seed.",
    },
  },
  {
    id: 'guided-figure-1',
    label: "The paper's Figure 1",
    describe: "A 200-step twin run of the paper's 3×100 sigmoid network (SGD 0.5, batch 60). Watch the percentile chart, layer 3: the input to one sigmoid over a fixed batch of test digits.",
    plan: (c) => ({ kind: 'twin', config: guidedConfig(c, { ...FIGURE_1, steps: 200 }) }),
    guide: {
      question: "While the network trains, what happens to the input of a sigmoid in its last hidden layer (its 15th, 50th and 85th percentiles)?",
      choices: [
        { id: 'plain-drifts', text: "The plain network's drifts; the BN network's stays put" },
        { id: 'both-still', text: 'Both stay put: the data do not change' },
        { id: 'both-drift', text: 'Both drift alike' },
      ],
      expected: 'plain-drifts',
      claim: { kind: 'band-steadier', layer: 2, ratio: 1.5 },
      explain: (v) =>
        v.holds
          ? `The plain network's band moved ${fig(v, 'plain').toFixed(2)}, the BN network's ${fig(v, 'norm').toFixed(2)}. Every update to the layers below changes what this layer receives, so the plain sigmoid's input keeps shifting, and the layer must keep adapting to it; BN re-centres and rescales it at every step, leaving only its learned γ and β to move it. This is the paper's Figure 1 (b, c), which it calls internal covariate shift.`
          : `Here the BN network's band moved ${fig(v, 'norm').toFixed(2)} against the plain network's ${fig(v, 'plain').toFixed(2)}: its γ and β are learned and can move the band too. Try another seed.`,
    },
  },
  {
    id: 'guided-batch-2',
    label: 'A batch of 2',
    describe: 'Two 60-step runs of the CNN (Adam 0.01) with BN against GroupNorm (4 groups), one at batch 2 and one at batch 32; test accuracy in inference mode.',
    plan: (c) => ({ kind: 'sweep', spec: { kind: 'batch', values: [2, 32], steps: 60 }, config: guidedConfig(c, { preset: 'cnn', ...PRESET_DEFAULTS.cnn }) }),
    guide: {
      question: 'Train the CNN with batches of 2 images instead of 32. What happens to BN, whose statistics come from the batch?',
      choices: [
        { id: 'falls', text: 'It falls far behind its batch-32 run' },
        { id: 'same', text: 'It does about as well as at batch 32' },
      ],
      expected: 'falls',
      claim: { kind: 'small-batch-drop', small: 2, large: 32, drop: 20 },
      explain: (v) =>
        v.holds
          ? `BN reached ${(100 * fig(v, 'bnSmall')).toFixed(1)}% at batch 2 and ${(100 * fig(v, 'bnLarge')).toFixed(1)}% at batch 32. GroupNorm, which takes its statistics from each image's own channels, reached ${(100 * fig(v, 'gnSmall')).toFixed(1)}% and ${(100 * fig(v, 'gnLarge')).toFixed(1)}%: in 60 steps a batch of 2 sees only 120 images, which costs both. What GroupNorm avoids shows in long runs of large networks: Wu & He (2018) report 10.6% lower ImageNet error than BN for a ResNet-50 at batch 2, where BN's two-image statistics are a noisy guess and the running averages used at test time average those guesses. In a CNN each BN channel still has every position of both images to average over, which softens the blow here.`
          : `In this run BN reached ${(100 * fig(v, 'bnSmall')).toFixed(1)}% at batch 2 and ${(100 * fig(v, 'bnLarge')).toFixed(1)}% at batch 32 (GroupNorm ${(100 * fig(v, 'gnSmall')).toFixed(1)}% and ${(100 * fig(v, 'gnLarge')).toFixed(1)}%); try another seed.`,
    },
  },
  {
    id: 'guided-alone',
    label: 'One digit in training mode',
    describe: "A 100-step twin run of the paper's sigmoid network, then the first test digit (a 7) read by the BN network in inference mode and alone in training mode (see the digit tools below).",
    plan: (c) => ({ kind: 'twin', config: guidedConfig(c, { ...FIGURE_1, steps: 100 }) }),
    guide: {
      question: 'The trained BN network reads one digit in training mode, normalizing it by its own statistics instead of the running averages. What does it answer?',
      choices: [
        { id: 'same', text: 'The same as in inference mode' },
        { id: 'other', text: 'Something else: alone, the digit is normalized away' },
        { id: 'error', text: 'Nothing: it cannot run on one digit' },
      ],
      expected: 'other',
      claim: { kind: 'alone-differs' },
      inspectDigit: 0,
      explain: (v) =>
        v.holds
          ? `In inference mode the network answers ${fig(v, 'inference')}; alone in training mode, ${fig(v, 'alone')}. A batch of one is its own mean, so every unit's x − μ is 0 and BN outputs its β whatever the digit: every digit gets this same answer. The forgotten model.eval(): in training mode the prediction depends on the batch around it.`
          : `This run answered ${fig(v, 'inference')} in inference mode and ${fig(v, 'alone')} alone. Alone, every unit outputs its β, the same for every digit; when that happens to be this digit's class, the answer survives by chance. Try another seed.`,
    },
  },
  {
    id: 'guided-noisy',
    label: 'Noisy BN',
    describe: "A 100-step twin run of the paper's sigmoid network whose BN is followed by a random per-unit scale and shift, redrawn at every step (Santurkar et al., 2018), against the plain network.",
    plan: (c) => ({ kind: 'twin', config: guidedConfig(c, { norm: 'noisy-bn', steps: 100 }) }),
    guide: {
      question: "Noise after every BN layer makes each layer's input distribution jump at every step: more 'internal covariate shift' than the plain network has. Does it still train faster than the plain network?",
      choices: [
        { id: 'yes', text: 'Yes, about as BN does' },
        { id: 'no', text: 'No: the noise undoes what BN gave' },
        { id: 'worse', text: 'It trains worse than the plain network' },
      ],
      expected: 'yes',
      claim: { kind: 'ahead-early', upTo: 100, margin: 5 },
      explain: (v) =>
        v.holds
          ? `Noisy BN averaged ${(100 * fig(v, 'norm')).toFixed(1)}% over the evaluations up to step ${fig(v, 'upTo')}, the plain network ${(100 * fig(v, 'plain')).toFixed(1)}%. Santurkar et al. found the same: with distributions deliberately unstable, BN still trains well, so reducing internal covariate shift is not what makes it work; they point to a smoother loss landscape instead.`
          : `Here noisy BN averaged ${(100 * fig(v, 'norm')).toFixed(1)}% against ${(100 * fig(v, 'plain')).toFixed(1)}% for the plain network. The noise does cost something; Santurkar et al. report it still trains close to BN. Try another seed.`,
    },
  },
  {
    id: 'guided-after',
    label: 'Before or after the nonlinearity',
    describe: "A 100-step twin run of the paper's sigmoid network with BN after each sigmoid instead of before it, against the plain network.",
    plan: (c) => ({ kind: 'twin', config: guidedConfig(c, { placement: 'after', steps: 100 }) }),
    guide: {
      question: 'The paper normalizes a layer’s output before its nonlinearity. Moved after the sigmoid, does BN still speed up training?',
      choices: [
        { id: 'yes', text: 'Yes: it helps after the nonlinearity too' },
        { id: 'no', text: 'No: it only works before the nonlinearity' },
      ],
      expected: 'yes',
      claim: { kind: 'ahead-early', upTo: 100, margin: 5 },
      explain: (v) =>
        v.holds
          ? `After the sigmoid, BN averaged ${(100 * fig(v, 'norm')).toFixed(1)}% over the evaluations up to step ${fig(v, 'upTo')}, the plain network ${(100 * fig(v, 'plain')).toFixed(1)}%. The paper puts BN before the nonlinearity because Wu + b is "more likely to have a symmetric, non-sparse distribution" (Sec. 3.2); normalizing the sigmoid's output instead still hands the next layer inputs at a steady scale, and both placements are used in practice.`
          : `Here BN after the sigmoid averaged ${(100 * fig(v, 'norm')).toFixed(1)}% against ${(100 * fig(v, 'plain')).toFixed(1)}% for the plain network. The paper argues for normalizing before the nonlinearity (Sec. 3.2), where the distribution is symmetric and non-sparse; try another seed to see whether this seed or the placement is to blame.`,
    },
  },
];
