import type { ChapterReply, ChapterRequest } from './chapter-protocol';

/** The page's handle on the chapter's training worker (one per widget that trains). */
export interface ChapterWorker {
  send(msg: ChapterRequest): void;
  terminate(): void;
}

export function startChapterWorker(onReply: (m: ChapterReply) => void): ChapterWorker {
  const worker = new Worker(new URL('./chapter.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<ChapterReply>) => onReply(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    onReply({ type: 'error', message: e.message || 'the training worker stopped unexpectedly' });
  };
  return { send: (msg) => worker.postMessage(msg), terminate: () => worker.terminate() };
}
