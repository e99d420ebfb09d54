// Chromium against the built site, in one place for the browser tests (playwright.config.ts),
// `npm run bench` (tests/bench/run.ts) and `npm run screenshots`: which Chromium, with which
// flags, and the static server the two scripts start. The scripts import this file with its
// `.ts` extension: they run on Node's own type stripping, which resolves no extensionless path.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** System Chromium when there is one (CI installs Debian's); undefined lets Playwright use its own browser. */
export function chromiumPath(): string | undefined {
  return process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

/**
 * Flags for every launch: no sandbox when running as root (Chromium refuses to start sandboxed
 * as root, as in CI containers), and none of the browser's own network traffic (background
 * requests, component updates, sync, QUIC), so a run makes no request the site did not.
 */
export function chromiumArgs(): string[] {
  return [
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
}

/**
 * WebGPU offered, and WebGL and WebGPU on SwiftShader where there is no GPU (the flags the bench,
 * the backends' conformance test and the probe's test run with).
 */
export const SOFTWARE_GPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/** Playwright's launch options: the Chromium above with its flags, plus `extraArgs`. */
export function chromiumLaunchOptions(extraArgs: string[] = []): { executablePath: string | undefined; args: string[] } {
  return { executablePath: chromiumPath(), args: [...chromiumArgs(), ...extraArgs] };
}

/** Serves dist/ with scripts/serve.ts on `port`; resolves once the server answers. */
export async function serveDist(port: number, timeoutMs = 30_000): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['scripts/serve.ts', 'dist', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`scripts/serve.ts exited (${server.exitCode}) before serving ${url}`);
    try {
      await fetch(url);
      return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      server.kill();
      throw new Error(`scripts/serve.ts did not answer on ${url} within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
