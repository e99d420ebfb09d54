// The two static servers the browser tests run against (playwright.config.ts starts both).
export const PORT = Number(process.env.E2E_PORT ?? 4329);
/** The same build served with COOP/COEP, so pages are cross-origin isolated (threaded WASM). */
export const ISOLATED_PORT = PORT + 1;
