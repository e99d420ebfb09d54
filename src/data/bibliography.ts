/**
 * The site's one bibliography. Chapters cite an entry with `<Cite id="key" />` and list what they
 * cite with `<References />`; both read this file at build time (no request to another origin).
 * Keys are the first author's surname and the year, lower case, with a letter added on a clash.
 * `url` is where a reader finds the work: arXiv, a DOI, or the official documentation.
 */
export interface Reference {
  /** Full names in the order the work lists them (an organisation counts as one name). */
  authors: readonly string[];
  /** How the text names the authors when their surnames would not do (documentation: "PyTorch"). */
  citedAs?: string;
  title: string;
  /** Journal, conference, "arXiv preprint", or the documentation's publisher. */
  venue: string;
  year: number;
  url: string;
}

export const BIBLIOGRAPHY = {
  apex2019: {
    authors: ['NVIDIA'],
    citedAs: 'Apex docs',
    title: 'apex.amp',
    venue: 'NVIDIA Apex documentation',
    year: 2019,
    url: 'https://nvidia.github.io/apex/amp.html',
  },
  ba2016: {
    authors: ['Jimmy Lei Ba', 'Jamie Ryan Kiros', 'Geoffrey E. Hinton'],
    title: 'Layer Normalization',
    venue: 'arXiv preprint 1607.06450',
    year: 2016,
    url: 'https://arxiv.org/abs/1607.06450',
  },
  brock2021: {
    authors: ['Andrew Brock', 'Soham De', 'Samuel L. Smith', 'Karen Simonyan'],
    title: 'High-Performance Large-Scale Image Recognition Without Normalization',
    venue: 'ICML 2021',
    year: 2021,
    url: 'https://arxiv.org/abs/2102.06171',
  },
  chen2020: {
    authors: ['Ting Chen', 'Simon Kornblith', 'Mohammad Norouzi', 'Geoffrey Hinton'],
    title: 'A Simple Framework for Contrastive Learning of Visual Representations',
    venue: 'ICML 2020',
    year: 2020,
    url: 'https://arxiv.org/abs/2002.05709',
  },
  de2020: {
    authors: ['Soham De', 'Samuel L. Smith'],
    title: 'Batch Normalization Biases Residual Blocks Towards the Identity Function in Deep Networks',
    venue: 'NeurIPS 2020',
    year: 2020,
    url: 'https://arxiv.org/abs/2002.10444',
  },
  fvcore2019: {
    authors: ['Meta AI Research (FAIR)'],
    citedAs: 'fvcore',
    title: 'fvcore: precise_bn.py, update_bn_stats (num_iters=200 by default)',
    venue: 'GitHub, facebookresearch/fvcore',
    year: 2019,
    url: 'https://github.com/facebookresearch/fvcore/blob/main/fvcore/nn/precise_bn.py',
  },
  goyal2017: {
    authors: ['Priya Goyal', 'Piotr Dollár', 'Ross Girshick', 'Pieter Noordhuis', 'Lukasz Wesolowski', 'Aapo Kyrola', 'Andrew Tulloch', 'Yangqing Jia', 'Kaiming He'],
    title: 'Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour',
    venue: 'arXiv preprint 1706.02677',
    year: 2017,
    url: 'https://arxiv.org/abs/1706.02677',
  },
  he2016a: {
    authors: ['Kaiming He', 'Xiangyu Zhang', 'Shaoqing Ren', 'Jian Sun'],
    title: 'Deep Residual Learning for Image Recognition',
    venue: 'CVPR 2016',
    year: 2016,
    url: 'https://arxiv.org/abs/1512.03385',
  },
  he2016b: {
    authors: ['Kaiming He', 'Xiangyu Zhang', 'Shaoqing Ren', 'Jian Sun'],
    title: 'Identity Mappings in Deep Residual Networks',
    venue: 'ECCV 2016',
    year: 2016,
    url: 'https://arxiv.org/abs/1603.05027',
  },
  he2019: {
    authors: ['Tong He', 'Zhi Zhang', 'Hang Zhang', 'Zhongyue Zhang', 'Junyuan Xie', 'Mu Li'],
    title: 'Bag of Tricks for Image Classification with Convolutional Neural Networks',
    venue: 'CVPR 2019',
    year: 2019,
    url: 'https://arxiv.org/abs/1812.01187',
  },
  he2020: {
    authors: ['Kaiming He', 'Haoqi Fan', 'Yuxin Wu', 'Saining Xie', 'Ross Girshick'],
    title: 'Momentum Contrast for Unsupervised Visual Representation Learning',
    venue: 'CVPR 2020',
    year: 2020,
    url: 'https://arxiv.org/abs/1911.05722',
  },
  hoffer2017: {
    authors: ['Elad Hoffer', 'Itay Hubara', 'Daniel Soudry'],
    title: 'Train Longer, Generalize Better: Closing the Generalization Gap in Large Batch Training of Neural Networks',
    venue: 'NeurIPS 2017',
    year: 2017,
    url: 'https://arxiv.org/abs/1705.08741',
  },
  ioffe2015: {
    authors: ['Sergey Ioffe', 'Christian Szegedy'],
    title: 'Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift',
    venue: 'ICML 2015',
    year: 2015,
    url: 'https://arxiv.org/abs/1502.03167',
  },
  ioffe2017: {
    authors: ['Sergey Ioffe'],
    title: 'Batch Renormalization: Towards Reducing Minibatch Dependence in Batch-Normalized Models',
    venue: 'NeurIPS 2017',
    year: 2017,
    url: 'https://arxiv.org/abs/1702.03275',
  },
  jia2018: {
    authors: ['Xianyan Jia', 'Shutao Song', 'Wei He', 'Yangzihao Wang', 'Haidong Rong', 'Feihu Zhou', 'Liqiang Xie', 'Zhenyu Guo', 'Yuanzhou Yang', 'Liwei Yu', 'Tiegang Chen', 'Guangxiao Hu', 'Shaohuai Shi', 'Xiaowen Chu'],
    title: 'Highly Scalable Deep Learning Training System with Mixed-Precision: Training ImageNet in Four Minutes',
    venue: 'arXiv preprint 1807.11205',
    year: 2018,
    url: 'https://arxiv.org/abs/1807.11205',
  },
  keras2024: {
    authors: ['Keras team'],
    citedAs: 'Keras docs',
    title: 'BatchNormalization layer',
    venue: 'Keras 3 API documentation',
    year: 2024,
    url: 'https://keras.io/api/layers/normalization_layers/batch_normalization/',
  },
  keras2024b: {
    authors: ['Keras team'],
    citedAs: 'Keras source',
    title: 'keras/src/layers/normalization/batch_normalization.py',
    venue: 'Keras 3 source code',
    year: 2024,
    url: 'https://github.com/keras-team/keras/blob/master/keras/src/layers/normalization/batch_normalization.py',
  },
  keras2024c: {
    authors: ['Keras team'],
    citedAs: 'Keras source',
    title: 'keras/src/applications/resnet.py',
    venue: 'Keras 3 source code',
    year: 2024,
    url: 'https://github.com/keras-team/keras/blob/master/keras/src/applications/resnet.py',
  },
  lecun1998: {
    authors: ['Yann LeCun', 'Léon Bottou', 'Genevieve B. Orr', 'Klaus-Robert Müller'],
    title: 'Efficient BackProp',
    venue: 'Neural Networks: Tricks of the Trade, Springer',
    year: 1998,
    url: 'https://doi.org/10.1007/3-540-49430-8_2',
  },
  li2016: {
    authors: ['Yanghao Li', 'Naiyan Wang', 'Jianping Shi', 'Jiaying Liu', 'Xiaodi Hou'],
    title: 'Revisiting Batch Normalization for Practical Domain Adaptation',
    venue: 'arXiv preprint 1603.04779',
    year: 2016,
    url: 'https://arxiv.org/abs/1603.04779',
  },
  li2019: {
    authors: ['Xiang Li', 'Shuo Chen', 'Xiaolin Hu', 'Jian Yang'],
    title: 'Understanding the Disharmony between Dropout and Batch Normalization by Variance Shift',
    venue: 'CVPR 2019',
    year: 2019,
    url: 'https://arxiv.org/abs/1801.05134',
  },
  loshchilov2019: {
    authors: ['Ilya Loshchilov', 'Frank Hutter'],
    title: 'Decoupled Weight Decay Regularization',
    venue: 'ICLR 2019',
    year: 2019,
    url: 'https://arxiv.org/abs/1711.05101',
  },
  nado2020: {
    authors: ['Zachary Nado', 'Shreyas Padhy', 'D. Sculley', 'Alexander D\'Amour', 'Balaji Lakshminarayanan', 'Jasper Snoek'],
    title: 'Evaluating Prediction-Time Batch Normalization for Robustness under Covariate Shift',
    venue: 'arXiv preprint 2006.10963',
    year: 2020,
    url: 'https://arxiv.org/abs/2006.10963',
  },
  peng2018: {
    authors: ['Chao Peng', 'Tete Xiao', 'Zeming Li', 'Yuning Jiang', 'Xiangyu Zhang', 'Kai Jia', 'Gang Yu', 'Jian Sun'],
    title: 'MegDet: A Large Mini-Batch Object Detector',
    venue: 'CVPR 2018',
    year: 2018,
    url: 'https://arxiv.org/abs/1711.07240',
  },
  pytorch2024a: {
    authors: ['PyTorch contributors'],
    citedAs: 'PyTorch docs',
    title: 'torch.nn.BatchNorm2d',
    venue: 'PyTorch documentation',
    year: 2024,
    url: 'https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html',
  },
  pytorch2024b: {
    authors: ['PyTorch contributors'],
    citedAs: 'PyTorch docs',
    title: 'torch.nn.LayerNorm',
    venue: 'PyTorch documentation',
    year: 2024,
    url: 'https://pytorch.org/docs/stable/generated/torch.nn.LayerNorm.html',
  },
  pytorch2024c: {
    authors: ['PyTorch contributors'],
    citedAs: 'PyTorch docs',
    title: 'torch.nn.SyncBatchNorm',
    venue: 'PyTorch documentation',
    year: 2024,
    url: 'https://pytorch.org/docs/stable/generated/torch.nn.SyncBatchNorm.html',
  },
  pytorch2024d: {
    authors: ['PyTorch contributors'],
    citedAs: 'PyTorch docs',
    title: 'torch.nn.parallel.DistributedDataParallel',
    venue: 'PyTorch documentation',
    year: 2024,
    url: 'https://pytorch.org/docs/stable/generated/torch.nn.parallel.DistributedDataParallel.html',
  },
  pytorch2024e: {
    authors: ['PyTorch contributors'],
    citedAs: 'PyTorch docs',
    title: 'Automatic Mixed Precision package: torch.amp (autocast op reference)',
    venue: 'PyTorch documentation',
    year: 2024,
    url: 'https://pytorch.org/docs/stable/amp.html#autocast-op-reference',
  },
  santurkar2018: {
    authors: ['Shibani Santurkar', 'Dimitris Tsipras', 'Andrew Ilyas', 'Aleksander Madry'],
    title: 'How Does Batch Normalization Help Optimization?',
    venue: 'NeurIPS 2018',
    year: 2018,
    url: 'https://arxiv.org/abs/1805.11604',
  },
  schneider2020: {
    authors: ['Steffen Schneider', 'Evgenia Rusak', 'Luisa Eck', 'Oliver Bringmann', 'Wieland Brendel', 'Matthias Bethge'],
    title: 'Improving Robustness Against Common Corruptions by Covariate Shift Adaptation',
    venue: 'NeurIPS 2020',
    year: 2020,
    url: 'https://arxiv.org/abs/2006.16971',
  },
  shen2020: {
    authors: ['Sheng Shen', 'Zhewei Yao', 'Amir Gholami', 'Michael W. Mahoney', 'Kurt Keutzer'],
    title: 'PowerNorm: Rethinking Batch Normalization in Transformers',
    venue: 'ICML 2020',
    year: 2020,
    url: 'https://arxiv.org/abs/2003.07845',
  },
  szegedy2015: {
    authors: ['Christian Szegedy', 'Wei Liu', 'Yangqing Jia', 'Pierre Sermanet', 'Scott Reed', 'Dragomir Anguelov', 'Dumitru Erhan', 'Vincent Vanhoucke', 'Andrew Rabinovich'],
    title: 'Going Deeper with Convolutions',
    venue: 'CVPR 2015',
    year: 2015,
    url: 'https://arxiv.org/abs/1409.4842',
  },
  tensorflow2024: {
    authors: ['TensorFlow authors'],
    citedAs: 'TensorFlow source',
    title: 'tensorflow/python/ops/nn_impl.py',
    venue: 'TensorFlow source code',
    year: 2024,
    url: 'https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/ops/nn_impl.py',
  },
  tfjs2024: {
    authors: ['TensorFlow.js authors'],
    citedAs: 'TensorFlow.js source',
    title: 'tfjs-layers: src/layers/normalization.ts (BatchNormalization)',
    venue: 'GitHub, tensorflow/tfjs',
    year: 2024,
    url: 'https://github.com/tensorflow/tfjs/blob/master/tfjs-layers/src/layers/normalization.ts',
  },
  torchvision2024a: {
    authors: ['torchvision contributors'],
    citedAs: 'torchvision source',
    title: 'torchvision/ops/misc.py (FrozenBatchNorm2d)',
    venue: 'torchvision source code',
    year: 2024,
    url: 'https://github.com/pytorch/vision/blob/main/torchvision/ops/misc.py',
  },
  torchvision2024b: {
    authors: ['torchvision contributors'],
    citedAs: 'torchvision source',
    title: 'torchvision/models/detection/faster_rcnn.py',
    venue: 'torchvision source code',
    year: 2024,
    url: 'https://github.com/pytorch/vision/blob/main/torchvision/models/detection/faster_rcnn.py',
  },
  ulyanov2016: {
    authors: ['Dmitry Ulyanov', 'Andrea Vedaldi', 'Victor Lempitsky'],
    title: 'Instance Normalization: The Missing Ingredient for Fast Stylization',
    venue: 'arXiv preprint 1607.08022',
    year: 2016,
    url: 'https://arxiv.org/abs/1607.08022',
  },
  vanlaarhoven2017: {
    authors: ['Twan van Laarhoven'],
    citedAs: 'van Laarhoven',
    title: 'L2 Regularization versus Batch and Weight Normalization',
    venue: 'arXiv preprint 1706.05350',
    year: 2017,
    url: 'https://arxiv.org/abs/1706.05350',
  },
  wan2021: {
    authors: ['Ruosi Wan', 'Zhanxing Zhu', 'Xiangyu Zhang', 'Jian Sun'],
    title: 'Spherical Motion Dynamics: Learning Dynamics of Normalized Neural Network using SGD and Weight Decay',
    venue: 'NeurIPS 2021',
    year: 2021,
    url: 'https://arxiv.org/abs/2006.08419',
  },
  wang2021: {
    authors: ['Dequan Wang', 'Evan Shelhamer', 'Shaoteng Liu', 'Bruno Olshausen', 'Trevor Darrell'],
    title: 'Tent: Fully Test-Time Adaptation by Entropy Minimization',
    venue: 'ICLR 2021',
    year: 2021,
    url: 'https://arxiv.org/abs/2006.10726',
  },
  wu2018: {
    authors: ['Yuxin Wu', 'Kaiming He'],
    title: 'Group Normalization',
    venue: 'ECCV 2018',
    year: 2018,
    url: 'https://arxiv.org/abs/1803.08494',
  },
  wu2021: {
    authors: ['Yuxin Wu', 'Justin Johnson'],
    title: 'Rethinking "Batch" in BatchNorm',
    venue: 'arXiv preprint 2105.07576',
    year: 2021,
    url: 'https://arxiv.org/abs/2105.07576',
  },
  yang2019: {
    authors: ['Greg Yang', 'Jeffrey Pennington', 'Vinay Rao', 'Jascha Sohl-Dickstein', 'Samuel S. Schoenholz'],
    title: 'A Mean Field Theory of Batch Normalization',
    venue: 'ICLR 2019',
    year: 2019,
    url: 'https://arxiv.org/abs/1902.08129',
  },
  zhang2019a: {
    authors: ['Guodong Zhang', 'Chaoqi Wang', 'Bowen Xu', 'Roger Grosse'],
    title: 'Three Mechanisms of Weight Decay Regularization',
    venue: 'ICLR 2019',
    year: 2019,
    url: 'https://arxiv.org/abs/1810.12281',
  },
  zhang2019b: {
    authors: ['Hongyi Zhang', 'Yann N. Dauphin', 'Tengyu Ma'],
    title: 'Fixup Initialization: Residual Learning Without Normalization',
    venue: 'ICLR 2019',
    year: 2019,
    url: 'https://arxiv.org/abs/1901.09321',
  },
} as const satisfies Record<string, Reference>;

export type CitationKey = keyof typeof BIBLIOGRAPHY;

export const isCitationKey = (key: string): key is CitationKey => Object.hasOwn(BIBLIOGRAPHY, key);

/** The entry for `key`; an unknown key fails the build, naming the key. */
export function reference(key: string): Reference {
  if (!isCitationKey(key)) throw new Error(`No bibliography entry "${key}" in src/data/bibliography.ts`);
  return BIBLIOGRAPHY[key];
}

const surname = (name: string): string => name.trim().split(/\s+/).at(-1) ?? name;

/** The authors as cited in the text: "Ioffe & Szegedy", "Wu et al.", "PyTorch". */
export function citedAuthors(ref: Reference): string {
  if (ref.citedAs) return ref.citedAs;
  const names = ref.authors.map(surname);
  if (names.length === 1) return names[0]!;
  if (names.length === 2) return `${names[0]} & ${names[1]}`;
  return `${names[0]} et al.`;
}

/** The id of an entry's list item in a chapter's references (the target of its citations). */
export const referenceAnchor = (key: string): string => `ref-${key}`;

/** Keys in the order of a reference list: first author's surname, then year, then key. */
export function referenceOrder(a: string, b: string): number {
  const ra = reference(a);
  const rb = reference(b);
  return citedAuthors(ra).localeCompare(citedAuthors(rb)) || ra.year - rb.year || a.localeCompare(b);
}

/** The citation keys an MDX source cites with <Cite id="…">, in order of first use, each once. */
export function citedKeys(source: string): string[] {
  const keys = [...source.matchAll(/<Cite\b[^>]*?\bid=["']([^"']+)["']/g)].map((m) => m[1]!);
  return [...new Set(keys)];
}
