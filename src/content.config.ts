import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

// Chapters live in the top-level content/ folder; `order` sets reading order.
const chapters = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content' }),
  schema: z.object({
    title: z.string(),
    order: z.number().int(),
    summary: z.string(),
  }),
});

export const collections = { chapters };
