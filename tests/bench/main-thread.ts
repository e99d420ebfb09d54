// What the lab's page does on its main thread while the worker trains, for `npm run bench`.
// `recordLabTraining` goes to `page.addInitScript` (Playwright serializes it, so it refers to
// nothing outside itself); `readLabTraining` reads the record back after the run.
//
// Two measures, one per use. Long tasks (`longtask`) are wall-clock: a task that another process
// descheduled for 300 ms counts as 300 ms. Long animation frames (`long-animation-frame`,
// Chromium 123+) attribute a slow frame's time to the scripts that ran in it, each with its source URL, so the bench can report
// the time spent in the site's own scripts and leave out the rest of the frame (style, layout,
// paint, other scripts such as Playwright's). A script's duration is still wall-clock, so
// neither is a browser test's assertion (no test asserts a duration).
import type { Page } from '@playwright/test';

/**
 * The bench's target for the longest time one of the site's own scripts takes in one go on the main
 * thread while the worker trains. On a quiet two-core machine the longest reported was 9 ms; the
 * target is wide because a script's duration still counts time
 * the OS gave another process (a 300 ms busy loop put into the lab's script measured 300–545 ms
 * beside the training worker).
 */
export const OWN_SCRIPT_MS = 150;

export interface ScriptTime {
  /** Seconds after training began. */
  at: number;
  duration: number;
  /** What ran it, e.g. `Worker.onmessage`, `FrameRequestCallback`, `TimerHandler:setTimeout`. */
  invoker: string;
  /** Path of the script file and the function's name, where the browser knows them. */
  source: string;
  /** The script comes from the page's own origin (the site's code, not an extension or the test harness). */
  own: boolean;
}
export interface LabTraining {
  /** Whether this Chromium reports long animation frames at all. */
  frameTimingSupported: boolean;
  /** Length of the lab's `training` phase, in seconds (NaN when the phase was never left). */
  seconds: number;
  /** Main-thread tasks over 50 ms that began while training (wall-clock). */
  longTasks: Array<{ at: number; duration: number }>;
  /** Scripts (over 5 ms, as the API reports them) in frames over 50 ms that began while training. */
  scripts: ScriptTime[];
}

interface Recorded {
  frameTimingSupported: boolean;
  training: { from?: number; to?: number };
  longTasks: Array<{ start: number; duration: number }>;
  scripts: Array<{ start: number; duration: number; invoker: string; source: string; own: boolean }>;
}

/** For `page.addInitScript`: records long tasks, long animation frames and the lab's training phase. */
export function recordLabTraining(): void {
  interface ScriptEntry { startTime: number; duration: number; invoker: string; sourceURL: string; sourceFunctionName: string }
  const record: Recorded = {
    frameTimingSupported: PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'),
    training: {},
    longTasks: [],
    scripts: [],
  };
  (window as unknown as { bnLabTraining: Recorded }).bnLabTraining = record;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) record.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  if (record.frameTimingSupported) {
    new PerformanceObserver((list) => {
      for (const frame of list.getEntries() as unknown as Array<{ scripts: ScriptEntry[] }>) {
        for (const s of frame.scripts) {
          let own = false;
          let path = s.sourceURL;
          try {
            const url = new URL(s.sourceURL);
            own = url.origin === location.origin;
            path = url.pathname;
          } catch {
            // An empty or opaque source URL: not the site's own script.
          }
          const source = [path, s.sourceFunctionName].filter(Boolean).join(' ') || '(no source)';
          record.scripts.push({ start: s.startTime, duration: s.duration, invoker: s.invoker, source, own });
        }
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  }
  // The moments the lab entered and left its training phase, so only what happened while the
  // worker trained is counted.
  new MutationObserver(() => {
    const phase = document.querySelector('bn-lab')?.getAttribute('data-phase');
    if (phase === 'training') record.training.from ??= performance.now();
    else if (record.training.from !== undefined) record.training.to ??= performance.now();
  }).observe(document, { subtree: true, attributeFilter: ['data-phase'] });
}

/** The record of a page that ran `recordLabTraining`, cut to the training phase. */
export async function readLabTraining(page: Page): Promise<LabTraining> {
  const r = await page.evaluate(() => (window as unknown as { bnLabTraining: Recorded }).bnLabTraining);
  const from = r.training.from ?? Number.NaN;
  const to = r.training.to ?? Number.NaN;
  const during = (start: number): boolean => start >= from && start < to;
  const at = (start: number): number => (start - from) / 1000;
  return {
    frameTimingSupported: r.frameTimingSupported,
    seconds: (to - from) / 1000,
    longTasks: r.longTasks.filter((t) => during(t.start)).map((t) => ({ at: at(t.start), duration: t.duration })),
    scripts: r.scripts.filter((s) => during(s.start)).map((s) => ({ at: at(s.start), duration: s.duration, invoker: s.invoker, source: s.source, own: s.own })),
  };
}

/** One line per script, longest first, for a failure message or a log. */
export function describeScripts(scripts: ScriptTime[], limit = 10): string {
  return [...scripts]
    .sort((a, b) => b.duration - a.duration)
    .slice(0, limit)
    .map((s) => `${Math.round(s.duration)} ms at ${s.at.toFixed(1)} s: ${s.invoker} (${s.source})`)
    .join('\n');
}
