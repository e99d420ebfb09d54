import { openChannel, type Channel } from '../core/channel';
import type { ChapterReply, ChapterRequest } from './protocol';

/** The page's handle on the chapter's training worker (one per widget that trains). */
export type ChapterWorker = Channel<ChapterRequest, never, Record<never, never>>;

/** Starts the chapter's worker; a crash reaches the widget as an `error` reply. */
export function startChapterWorker(onReply: (m: ChapterReply) => void): ChapterWorker {
  const worker = new Worker(new URL('./chapter.worker.ts', import.meta.url), { type: 'module' });
  return openChannel<ChapterRequest, never, Record<never, never>, ChapterReply>(worker, onReply, (why) => onReply({ type: 'error', message: why }));
}
