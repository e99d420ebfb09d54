import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// WASM is the CPU training path and always ships; WebGPU and WebGL load on demand.
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice, BackendName } from '../config';
import { registerLabKernels } from '../../kernels';

export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

// The wasm binaries are bundled as site assets, so nothing is fetched from another origin.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** Imports a backend's package only when it is asked for, so unused ones never download. */
async function loadBackendPackage(name: BackendName): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  else if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
}

export interface BackendInUse {
  name: BackendName;
  /** When this is not the backend asked for: why each one tried before it failed. */
  unavailable?: string;
  /**
   * WASM only: XNNPACK's thread count. Above 1 only where the page is cross-origin isolated, and
   * tfjs 4.22 caps it at half the logical cores, at most 4 (so 1 on a two-core machine).
   */
  threads?: number;
}

/**
 * Switches tfjs to `preferred` when it initializes here, else to the next in BACKEND_ORDER.
 * Returns the backend in use and, when it is not the one asked for, why the others failed.
 */
export async function useBackend(preferred: BackendChoice, { fallback = true } = {}): Promise<BackendInUse> {
  registerLabKernels();
  const candidates = preferred === 'auto' ? BACKEND_ORDER : fallback ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)] : [preferred];
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      await loadBackendPackage(name);
      if (await tf.setBackend(name)) {
        await tf.ready();
        const fellBack = preferred !== 'auto' && name !== preferred;
        return { name, ...(fellBack ? { unavailable: failures.join('; ') } : {}), ...(name === 'wasm' ? { threads: getThreadsCount() } : {}) };
      }
      failures.push(`${name} did not initialize`);
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`no tfjs backend could start: ${failures.join('; ')}`);
}

/** Renderers that run a GPU API on the CPU: SwiftShader, Mesa's llvmpipe and softpipe, Windows' WARP. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/**
 * The renderer's name when the GPU backend in use runs on a software renderer, else undefined
 * (also for WASM and cpu). Chrome falls back to SwiftShader for WebGL where it blocklists the GPU,
 * and such a backend is never faster than WASM on the same CPU: the probe skips timing it, since
 * compiling its shaders alone took 13 s here and its queued work went on for 30 s after.
 */
export function softwareRenderer(): string | undefined {
  const backend = tf.backend() as unknown as {
    adapterInfo?: { vendor?: string; architecture?: string };
    gpgpu?: { gl?: WebGLRenderingContext };
  };
  let renderer = '';
  if (tf.getBackend() === 'webgpu') {
    renderer = `${backend.adapterInfo?.vendor ?? ''} ${backend.adapterInfo?.architecture ?? ''}`.trim();
  } else if (tf.getBackend() === 'webgl' && backend.gpgpu?.gl) {
    const gl = backend.gpgpu.gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  }
  return SOFTWARE_RENDERER.test(renderer) ? renderer : undefined;
}

/**
 * Calls `onLost` once if the WebGL backend's context is lost. tfjs itself only drops its cached
 * context, and the ops that follow neither throw nor compute.
 */
export function watchContextLoss(onLost: () => void): void {
  if (tf.getBackend() !== 'webgl') return;
  const canvas = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl?.canvas;
  canvas?.addEventListener('webglcontextlost', () => onLost(), { once: true });
}
