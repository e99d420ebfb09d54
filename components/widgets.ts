/**
 * Every chapter widget's schema, keyed by its folder under components/, found from the folders
 * (src/lib/widget/registry.ts): a new widget's schema.ts puts it in the tests that loop over
 * widgets. Vite-only (import.meta.glob): the unit tests and the site use it.
 */
import { widgetSchemas } from '../src/lib/widget/registry';
import type { WidgetSchema } from '../src/lib/widget/schema';

export const WIDGET_SCHEMAS = widgetSchemas(import.meta.glob<{ schema: WidgetSchema }>('./*/schema.ts', { eager: true }));
