/**
 * Values a link can carry that no widget should accept, and which parameters must refuse them.
 * Shared by the unit test that feeds every value to every parameter through the widget runtime's
 * own reader (tests/unit/widget/bad-links.test.ts) and the browser test that checks, one link per
 * widget, that the page reports them and evaluates nothing (tests/e2e/bad-input.spec.ts).
 */
import { readValue, type ParamSpec, type WidgetSchema } from '../../src/lib/widget/schema';

/** The injection attempt first: the browser test gives it to every widget's first parameter. */
export const BAD_LINK_VALUES = ['<script>alert(1)</script>', '', 'NaN', 'Infinity', '-1e9', '1e999', 'ten', '9'.repeat(10_000)] as const;

/** Parameters a link carries (some, like a sweep's, are the page's own). */
export const linkParams = (schema: WidgetSchema): Array<[string, ParamSpec]> => Object.entries(schema.params).filter(([, spec]) => !('url' in spec && spec.url === false));

/** Whether a widget must refuse `value` for this parameter (text fields: by their own check). */
export function refuses(spec: ParamSpec, value: string): boolean {
  const read = readValue(spec, value);
  if (!('value' in read)) return true;
  return spec.kind === 'text' && spec.check?.(read.value as string) != null;
}
