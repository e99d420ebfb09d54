// Conformance: every PyTorch reference case in ../shared/golden/ (and in $BN_GOLDEN_DIR when
// set) through src/lib/bn on the tfjs cpu backend. One line per case, then a summary.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { runGoldenCase } from '../tests/golden/runner.ts';

const folders = [fileURLToPath(new URL('../../shared/golden/', import.meta.url))];
if (process.env.BN_GOLDEN_DIR) folders.push(resolve(process.env.BN_GOLDEN_DIR));

await tf.setBackend('cpu');
let passed = 0;
let failed = 0;
for (const folder of folders) {
  if (!existsSync(folder)) {
    console.log(`FAIL  ${folder}: folder not found`);
    failed++;
    continue;
  }
  const files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) {
    console.log(`FAIL  ${folder}: no .json cases`);
    failed++;
    continue;
  }
  console.log(`# ${folder} (${files.length} cases)`);
  for (const file of files) {
    let c: unknown;
    try {
      c = JSON.parse(readFileSync(join(folder, file), 'utf8'));
    } catch (err) {
      console.log(`FAIL  ${file}  (not valid JSON: ${err instanceof Error ? err.message : String(err)})`);
      failed++;
      continue;
    }
    const r = runGoldenCase(c, file);
    const bad = r.fields.filter((f) => !f.ok).map((f) => `${f.field}: ${f.reason ?? 'failed'}`);
    const why = r.reason ?? bad.join('; ');
    console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  max_err=${Number.isFinite(r.maxError) ? r.maxError.toExponential(2) : 'n/a'}${r.ok ? '' : `  (${why})`}`);
    if (r.ok) passed++;
    else failed++;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
