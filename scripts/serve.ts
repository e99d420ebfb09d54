// A small static server for the built site: serves dist/ with the same headers a static host
// would apply from public/_headers (the Content-Security-Policy and friends).
// `--isolate` adds the two headers that make pages cross-origin isolated, as a host may choose
// to: the lab then loads tfjs's threaded WASM build (the browser tests check it trains so).
// Text and WASM go out gzipped to a client that accepts it, as static hosts send them (Lighthouse's
// audit, `npm run audit`, measures the pages as a reader gets them; the chapters' HTML is 150–240 KB,
// 20 KB gzipped). `--log=FILE` appends every request's method and path to FILE: the code-cell tests check on the
// server's side that a cell's fetch and XHR never arrive.
import { createServer } from 'node:http';
import { appendFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { extname, join, normalize, resolve } from 'node:path';

const [rootArg = 'dist', portArg = '4321'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const root = resolve(rootArg);
const port = Number(portArg);
const ISOLATION: Array<[string, string]> = process.argv.includes('--isolate')
  ? [['Cross-Origin-Opener-Policy', 'same-origin'], ['Cross-Origin-Embedder-Policy', 'require-corp']]
  : [];
const LOG = process.argv.find((a) => a.startsWith('--log='))?.slice('--log='.length);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.gz': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Parses the Netlify/Cloudflare-style `_headers` file: a path line, then indented `Name: value`
 * lines; `! Name` (Cloudflare Pages' detach) drops a header an earlier matching rule set.
 */
async function loadHeaders(): Promise<Array<{ pattern: string; headers: Array<[string, string | null]> }>> {
  let text = '';
  try {
    text = await readFile(join(root, '_headers'), 'utf8');
  } catch {
    return [];
  }
  const rules: Array<{ pattern: string; headers: Array<[string, string | null]> }> = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) rules.push({ pattern: line.trim(), headers: [] });
    else if (line.trim().startsWith('!')) rules.at(-1)?.headers.push([line.trim().slice(1).trim(), null]);
    else {
      const i = line.indexOf(':');
      if (i > 0) rules.at(-1)?.headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
    }
  }
  return rules;
}

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.wasm']);
/** Gzipped bodies, computed once per file and length (the tests fetch the same bundles many times; a rebuild changes them). */
const gzipped = new Map<string, Buffer>();
const gzipOf = (file: string, body: Buffer): Buffer => {
  const key = `${file}:${body.length}`;
  let zipped = gzipped.get(key);
  if (!zipped) gzipped.set(key, (zipped = gzipSync(body)));
  return zipped;
};

const matches = (pattern: string, path: string): boolean =>
  pattern === path || (pattern.endsWith('*') && path.startsWith(pattern.slice(0, -1)));

const rules = await loadHeaders();

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (LOG) appendFileSync(LOG, `${req.method} ${url.pathname}\n`);
  let path = normalize(decodeURIComponent(url.pathname));
  if (path.includes('..')) {
    res.writeHead(400).end();
    return;
  }
  let file = join(root, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
  } catch {
    // fall through to the 404 below
  }
  let status = 200;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    status = 404;
    file = join(root, '404.html');
    body = await readFile(file).catch(() => Buffer.from('Not found'));
  }
  const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
  for (const rule of rules) if (matches(rule.pattern, path)) for (const [k, v] of rule.headers) {
      if (v === null) delete headers[k];
      else headers[k] = v;
    }
  for (const [k, v] of ISOLATION) headers[k] = v;
  if (COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = gzipOf(file, body);
    headers['content-encoding'] = 'gzip';
    headers['vary'] = 'accept-encoding';
  }
  res.writeHead(status, headers).end(body);
}).listen(port, '127.0.0.1', () => console.log(`serving ${root} on http://127.0.0.1:${port}/${ISOLATION.length ? ', cross-origin isolated' : ''}`));
