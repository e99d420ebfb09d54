import type { ModelArtifactsJson } from '../../src/lib/train/core/weights';

/** Offers text as a file download. */
export function download(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves a trained model through tfjs IO: model.json (with the run's config) plus weights.bin. */
export async function downloadModel(artifacts: ModelArtifactsJson, name: string): Promise<void> {
  const tf = await import('@tensorflow/tfjs-core');
  // The downloads:// router is tfjs IO's browser-download handler (model.json + weights.bin).
  const [handler] = tf.io.getSaveHandlers(`downloads://${name}`);
  if (!handler?.save) throw new Error('this browser cannot save files from tfjs');
  await handler.save({
    modelTopology: { format: 'bn-live', config: artifacts.config },
    weightSpecs: artifacts.weightSpecs,
    weightData: artifacts.weightData,
    format: 'bn-live',
    generatedBy: 'Batch Normalization, live',
  });
}
