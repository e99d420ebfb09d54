// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';

// KaTeX renders at build time (rehype-katex); pages ship only its CSS and fonts.
export default defineConfig({
  site: 'http://127.0.0.1:4321',
  trailingSlash: 'always',
  compressHTML: true,
  markdown: {
    // Code blocks use the site's own colours, which meet contrast in both themes.
    syntaxHighlight: false,
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] }),
  },
  integrations: [mdx()],
  vite: {
    worker: { format: 'es' },
    // Emit every asset (KaTeX's small fonts included) as a file: the CSP allows fonts from 'self' only.
    build: { assetsInlineLimit: 0 },
    optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
  },
});
