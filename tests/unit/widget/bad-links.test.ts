import { describe, expect, it } from 'vitest';
import { WIDGET_SCHEMAS } from '../../../components/widgets';
import { defaults, stateFromParams } from '../../../src/lib/widget/schema';
import { BAD_LINK_VALUES, linkParams, refuses } from '../../shared/bad-link-values';

// Every bad value in every link parameter of every widget, through the reader the widget runtime
// uses (stateFromParams): refused, named in the message, default kept. The browser test then
// checks one link per widget end to end (tests/e2e/bad-input.spec.ts).
describe('bad link values', () => {
  for (const [folder, schema] of Object.entries(WIDGET_SCHEMAS)) {
    it(`${folder}: every parameter refuses every bad value and keeps its default`, () => {
      const start = defaults(schema) as Record<string, unknown>;
      for (const [key, spec] of linkParams(schema)) {
        for (const value of BAD_LINK_VALUES) {
          const what = `${schema.prefix}.${key}=${value.slice(0, 20)}`;
          const { state, problems } = stateFromParams(schema, { [key]: value });
          // Text reaches its field, whose own check judges it (some of these are valid text).
          if (spec.kind === 'text') continue;
          expect(refuses(spec, value), what).toBe(true);
          expect((state as Record<string, unknown>)[key], what).toEqual(start[key]);
          expect(problems, what).toHaveLength(1);
          expect(problems[0], what).toContain(`"${key}"`);
        }
      }
    });
  }
});
