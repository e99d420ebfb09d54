import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every .ts file under a folder (the widgets' .astro shells import only their own folder and src/). */
const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/** The relative module paths a file imports, statically or with import(). */
const importsOf = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/(?:from\s*|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);

describe('the import graph', () => {
  it('has no circle', { timeout: 120_000 }, async () => {
    const graph = await madge(['src', 'components'], { baseDir: root, fileExtensions: ['ts'], tsConfig: join(root, 'tsconfig.json') });
    expect(graph.circular()).toEqual([]);
    // The graph is real: the lab's wiring reaches its state and the trainer's protocol.
    const deps = graph.obj();
    expect(deps['components/lab/controller.ts']).toContain('components/lab/state.ts');
    expect(Object.keys(deps).length).toBeGreaterThan(100);
  });

  it('has no widget folder importing another (shared code lives in src/lib)', () => {
    const components = join(root, 'components');
    // Files in a widget's folder (components/X/…); a list at the top (components/schemas.ts) is no widget.
    const inFolders = tsFiles(components).filter((file) => relative(components, file).includes(sep));
    const crossings = inFolders.flatMap((file) => {
      const own = relative(components, file).split(sep)[0];
      return importsOf(file).flatMap((spec) => {
        const parts = relative(components, resolve(dirname(file), spec)).split(sep);
        const folder = parts[0] === '..' || parts.length < 2 ? undefined : parts[0];
        return folder && folder !== own ? [`${relative(root, file)} → ${spec}`] : [];
      });
    });
    expect(crossings).toEqual([]);
    // The scan sees imports: the lab's mount imports its own panels.
    expect(importsOf(join(components, 'lab/mount.ts'))).toContain('./panels/status');
  });
});
