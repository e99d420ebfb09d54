/**
 * Every widget's schema, keyed by its folder under components/. Tests loop over this list (the
 * bad-input test feeds every declared link parameter bad values); a new widget adds its line.
 */
import type { WidgetSchema } from '../src/lib/widget/schema';
import { schema as distributions } from './distributions/schema';
import { schema as identity } from './identity/schema';

export const WIDGET_SCHEMAS: Record<string, WidgetSchema> = {
  distributions,
  identity,
};
