/**
 * The widget registry (src/lib/widget/registry.ts) for the browser tests, which Playwright loads
 * outside Vite (no import.meta.glob): the same folders, read from the disk.
 */
import { existsSync, readdirSync } from 'node:fs';
import { widgetSchemas } from '../../src/lib/widget/registry';
import type { WidgetSchema } from '../../src/lib/widget/schema';

const folders = readdirSync('components', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`components/${entry.name}/schema.ts`))
  .map((entry) => entry.name);

const modules = await Promise.all(
  folders.map(async (folder) => [`components/${folder}/schema.ts`, (await import(`../../components/${folder}/schema.ts`)) as { schema: WidgetSchema }] as const),
);

export const WIDGET_SCHEMAS = widgetSchemas(Object.fromEntries(modules));
