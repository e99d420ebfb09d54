/**
 * The registry of chapter widgets: every `components/<folder>/schema.ts`, keyed by its folder.
 * Built from the folders themselves (components/widgets.ts with Vite's import.meta.glob; the
 * browser tests, which run outside Vite, with tests/e2e/widget-schemas.ts), so a new widget is in
 * every loop over widgets (the bad-input test, the schema test) by being there.
 */
import type { WidgetSchema } from './schema';

/** The lab has a schema for its form, but its own page and the whole query: not a chapter widget. */
const NOT_CHAPTER_WIDGETS = new Set(['lab']);

/** Schemas by folder from modules keyed by path (`…/components/<folder>/schema.ts`). */
export function widgetSchemas(modules: Record<string, { schema: WidgetSchema }>): Record<string, WidgetSchema> {
  const byFolder: Record<string, WidgetSchema> = {};
  for (const [path, module] of Object.entries(modules).sort(([a], [b]) => a.localeCompare(b))) {
    const folder = path.split('/').at(-2)!;
    if (!NOT_CHAPTER_WIDGETS.has(folder)) byFolder[folder] = module.schema;
  }
  return byFolder;
}
