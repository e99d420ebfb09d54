/**
 * Messages between the page, the sandbox iframe (public/sandbox/index.html) and its worker
 * (cell.worker.ts). The page sends the worker's source once ('init'), then one 'run' at a time;
 * the iframe forwards runs to the worker and its answers back, and answers 'stopped' itself when
 * a run passes RUN_LIMIT_MS (it terminates the worker and starts a fresh one).
 */
import type { CaseCheck, CheckCase } from './exercises';

export const RUN_LIMIT_MS = 5000;

export interface RunRequest {
  type: 'run';
  id: number;
  code: string;
  /** Exercises: the function to take from the code, its reference cases and wrong variants. */
  check?: { fn: string; cases: CheckCase[]; mistakes: Array<{ id: string; code: string }> };
}

export interface RunError {
  name: string;
  message: string;
  /** 1-based line in the reader's code, where the error's stack names one. */
  line?: number;
}

export type RunReply =
  | { type: 'result'; id: number; logs: string[]; value?: string; error?: RunError; checks?: CaseCheck[]; mistake?: string }
  | { type: 'stopped'; id: number; afterMs: number };
