import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import wabt from 'wabt';
import type { Plugin } from 'vite';

/**
 * WebAssembly text (`.wat`) as an import: `import { plain, shared } from './x.wat'` gives the
 * module's bytes, assembled by wabt when the site, a worker or a unit test is built, so the text
 * is the only source (no bytes written by hand, nothing generated in the repository). A .wat that
 * does not assemble fails the build and every test that imports it, with wabt's line and column.
 *
 * The lab's kernels run on tfjs-backend-wasm's memory, which the threaded build allocates shared:
 * a module must then import it as shared. So each .wat declares the import once, as
 * MEMORY_IMPORT, and is assembled twice: `plain` as written, `shared` with that import marked
 * shared (tfjs's threaded memory has a maximum; 65536 pages covers any).
 */
export const MEMORY_IMPORT = '(import "env" "memory" (memory 1))';
const SHARED_MEMORY_IMPORT = '(import "env" "memory" (memory 1 65536 shared))';

export interface AssembledWat {
  plain: Uint8Array;
  shared: Uint8Array;
}

/** 128-bit SIMD, and shared memory for the threaded build's import. */
const FEATURES = { simd: true, threads: true };

let wabtModule: ReturnType<typeof wabt> | undefined;

/** Both assemblies of one .wat text; throws wabt's message (file:line:column) if it does not assemble. */
export async function assembleWat(name: string, text: string): Promise<AssembledWat> {
  const occurrences = text.split(MEMORY_IMPORT).length - 1;
  if (occurrences !== 1) {
    throw new Error(`${name}: a kernel module imports tfjs's memory exactly once, as ${MEMORY_IMPORT} (found ${occurrences})`);
  }
  const w = await (wabtModule ??= wabt());
  const assemble = (source: string): Uint8Array => {
    // wabt's binding copies the name without its terminating NUL (a stray byte in its messages).
    const module = w.parseWat(`${name}\0`, source, FEATURES);
    try {
      // validate takes the features too (wabt's index.d.ts omits the argument).
      (module as unknown as { validate(features: typeof FEATURES): void }).validate(FEATURES);
      return module.toBinary({}).buffer.slice();
    } finally {
      module.destroy();
    }
  };
  return { plain: assemble(text), shared: assemble(text.replace(MEMORY_IMPORT, SHARED_MEMORY_IMPORT)) };
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** The Vite plugin: every `*.wat` import becomes a module exporting `plain` and `shared` bytes. */
export function watPlugin(): Plugin {
  return {
    name: 'wat',
    async load(id) {
      const path = id.split('?')[0]!;
      if (!path.endsWith('.wat')) return null;
      const { plain, shared } = await assembleWat(relative(process.cwd(), path), await readFile(path, 'utf8'));
      const bytes = (b: Uint8Array) => `Uint8Array.from(atob(${JSON.stringify(base64(b))}), (c) => c.charCodeAt(0))`;
      return `export const plain = ${bytes(plain)};\nexport const shared = ${bytes(shared)};\n`;
    },
  };
}
