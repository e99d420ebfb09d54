/**
 * Every framed widget's implementation, found from the folders: `components/<folder>/mount.ts`
 * for the element `bn-<folder>`. Vite turns the glob into one dynamic import per widget, so a
 * widget's code (tfjs, Plot, …) still loads only when that widget is mounted. The lab and the code
 * cells are not framed: their shells load their own implementation.
 */
import type { Mount } from './lazy';

const MOUNTS = import.meta.glob<{ mount: Mount }>(['../../../components/*/mount.ts', '!../../../components/lab/**', '!../../../components/code-cell/**']);

/** The folder of a widget's files: its tag without `bn-` (the schema test holds every tag to it). */
export const folderOf = (tag: string): string => tag.replace(/^bn-/, '');

export function loadMount(tag: string): Promise<{ mount: Mount }> {
  const load = MOUNTS[`../../../components/${folderOf(tag)}/mount.ts`];
  if (!load) return Promise.reject(new Error(`<${tag}> has no components/${folderOf(tag)}/mount.ts`));
  return load();
}

/** The folders that have an implementation, for the schema test. */
export const MOUNTED_FOLDERS: readonly string[] = Object.keys(MOUNTS).map((path) => path.split('/').at(-2)!);
