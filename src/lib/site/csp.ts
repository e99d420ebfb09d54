/**
 * The Content-Security-Policy every page carries (as a meta tag; public/_headers repeats it for
 * static hosts). Everything comes from the site's own origin. Three relaxations, all needed:
 * - 'wasm-unsafe-eval': compiling the tfjs WASM backend's binary (it allows WebAssembly
 *   compilation only, not JavaScript eval);
 * - script-src blob: where the page is cross-origin isolated, tfjs's threaded WASM starts each
 *   pthread worker by importing a blob: copy of its own factory. Only script already running on
 *   the page can mint a blob: URL, so injected markup gains nothing from it;
 * - style-src 'unsafe-inline': KaTeX and Observable Plot position glyphs and marks with inline
 *   style attributes. No inline scripts run: every script is a same-origin file.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');
