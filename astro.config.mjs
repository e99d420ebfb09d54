// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { watPlugin } from './scripts/vite-wat.ts';
import { offlineServiceWorker } from './scripts/offline-sw.mjs';

/**
 * tfjs's threaded WASM backend starts its pthread workers from `factory.toString()`, so the
 * factory may not refer to anything outside itself. It does: to `_scriptDir`, a variable of the
 * enclosing IIFE (undefined in a worker anyway), which minification renames or folds, and every
 * pthread then dies with "e is not defined". Dropping those references keeps it self-contained.
 */
function threadedWasmFactoryWithoutScriptDir() {
  /** @type {Array<[string, string]>} */
  const edits = [
    ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
    ['"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir', '"urlOrBlob":Module["mainScriptUrlOrBlob"]'],
  ];
  return {
    name: 'threaded-wasm-factory-without-script-dir',
    /** @param {string} code @param {string} id */
    transform(code, id) {
      if (!id.endsWith('tfjs-backend-wasm-threaded-simd.js')) return null;
      for (const [from, to] of edits) {
        if (!code.includes(from)) throw new Error(`tfjs-backend-wasm changed: "${from}" not found in ${id}`);
        code = code.replace(from, to);
      }
      return { code, map: null };
    },
  };
}

// KaTeX renders at build time (rehype-katex); pages ship only its CSS and fonts.
export default defineConfig({
  site: 'http://127.0.0.1:4321',
  trailingSlash: 'always',
  compressHTML: true,
  markdown: {
    // Code blocks are highlighted at build time with Shiki's css-variables theme: each token's colour
    // is a CSS variable that global.css maps to the site's token colours, which meet contrast in
    // both themes (a fixed Shiki theme would be one theme's colours in both).
    syntaxHighlight: 'shiki',
    shikiConfig: { theme: 'css-variables' },
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] }),
  },
  integrations: [mdx(), offlineServiceWorker()],
  vite: {
    // The kernels' WebAssembly text (src/lib/kernels/*.wat), assembled by wabt, in pages and workers.
    plugins: [watPlugin()],
    worker: { format: 'es', plugins: () => [threadedWasmFactoryWithoutScriptDir(), watPlugin()] },
    // Emit every asset (KaTeX's small fonts included) as a file: the CSP allows fonts from 'self' only.
    build: { assetsInlineLimit: 0 },
    optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
  },
});
