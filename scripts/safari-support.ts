// node scripts/safari-support.ts — prints, as a Markdown table, the Web APIs the site relies on
// with the Safari (macOS and iOS) and Firefox versions that support them, from MDN's
// compatibility data (@mdn/browser-compat-data), and what the site does without each.
// Safari cannot run here, so tests/e2e/fallbacks.spec.ts hides the APIs with a fallback in Chromium.
import { createRequire } from 'node:module';

interface Support { version_added: string | boolean | null; flags?: unknown[] }
interface Compat { support: Record<string, Support | Support[]> }
const bcd = createRequire(import.meta.url)('@mdn/browser-compat-data') as Record<string, unknown> & { __meta: { version: string } };

const APIS: Array<{ path: string; name: string; use: string; without: string }> = [
  { path: 'api.CustomElementRegistry', name: 'Custom elements', use: 'every widget (lazy element)', without: 'widgets stay as their server-rendered shells (build-time numbers, no interaction)' },
  { path: 'api.IntersectionObserver', name: 'IntersectionObserver', use: 'widgets load near the viewport', without: 'needed: no fallback' },
  { path: 'api.ResizeObserver', name: 'ResizeObserver', use: 'charts follow their column', without: 'needed: no fallback' },
  { path: 'api.Worker.Worker.ecmascript_modules', name: 'Module workers', use: 'lab, code cells, BN in modern networks', without: 'needed: no fallback' },
  { path: 'webassembly.api', name: 'WebAssembly', use: 'tfjs WASM backend', without: 'cpu backend (slow)' },
  { path: 'webassembly.fixed-width-SIMD', name: 'WebAssembly SIMD', use: "tfjs's SIMD build, the lab's BN kernels", without: "tfjs's plain WASM build; BN kernels as JavaScript loops" },
  { path: 'webassembly.threads-and-atomics', name: 'WebAssembly threads', use: 'threaded WASM when cross-origin isolated', without: 'single-threaded WASM (the site is not isolated anyway)' },
  { path: 'api.Navigator.gpu', name: 'WebGPU (navigator.gpu)', use: 'lab backend probe', without: 'the probe says "WebGPU (unavailable)" and measures the rest (tested)' },
  { path: 'api.OffscreenCanvas.getContext.webgl2_context', name: 'OffscreenCanvas WebGL 2 (in a worker)', use: "tfjs WebGL backend in the lab's worker", without: 'the probe says "WebGL (unavailable)"; WASM trains (tested)' },
  { path: 'api.DecompressionStream', name: 'DecompressionStream', use: 'unpacking MNIST (.gz)', without: 'the lab says which API is missing and stops (tested); no JavaScript inflate is shipped' },
  { path: 'api.CacheStorage', name: 'Cache API', use: 'MNIST kept after the first download', without: 'MNIST fetched on every visit (tested)' },
  { path: 'api.IDBFactory', name: 'IndexedDB', use: 'saved runs', without: 'one line says runs are not saved; the lab trains on (tested)' },
  { path: 'api.ServiceWorkerContainer', name: 'Service workers', use: 'reading offline', without: 'the site works online only' },
  { path: 'api.TransformStream', name: 'TransformStream', use: 'MNIST download progress', without: 'needed: no fallback' },
  { path: 'api.structuredClone', name: 'structuredClone', use: 'saved runs', without: 'needed: no fallback' },
  { path: 'api.PointerEvent', name: 'Pointer events', use: 'digit pad, home figure', without: 'needed: no fallback' },
  { path: 'api.HTMLIFrameElement.sandbox', name: 'iframe sandbox', use: 'code cells run reader code in an opaque origin', without: 'needed: no fallback' },
  { path: 'api.Clipboard.writeText', name: 'Clipboard writeText', use: 'Copy link', without: 'the link is shown in a field to copy by hand' },
  { path: 'api.PerformanceLongAnimationFrameTiming', name: 'Long Animation Frames', use: 'tests and benchmark only', without: 'not used by the site' },
];

const compat = (path: string): Compat | undefined =>
  (path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], bcd) as { __compat?: Compat } | undefined)?.__compat;

/** The first version without flags, as MDN states it ("no" when unsupported). */
function version(c: Compat | undefined, browser: string): string {
  if (!c) return '?';
  const entries = ([] as Support[]).concat(c.support[browser] ?? []).filter((s) => !s.flags);
  const v = entries[0]?.version_added;
  return v === false || v === null || v === undefined ? 'no' : v === true ? 'yes' : v;
}

console.log(`Safari and Firefox support, from @mdn/browser-compat-data ${bcd.__meta.version}:\n`);
console.log('| API | used for | Safari | Safari on iOS | Firefox | without it |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const a of APIS) {
  const c = compat(a.path);
  if (!c) throw new Error(`${a.path} is not in MDN's data: check the path`);
  console.log(`| ${a.name} | ${a.use} | ${version(c, 'safari')} | ${version(c, 'safari_ios')} | ${version(c, 'firefox')} | ${a.without} |`);
}
