/**
 * A code cell, loaded when it nears the viewport (CodeCell.astro's defineLazyWidget): CodeMirror
 * over the server-rendered code, Run (and Shift+Enter) sends the code to the sandbox, Reset
 * restores the starter. Edits are kept in localStorage per cell until Reset. Copy link puts the
 * code in a link (share.ts); code arriving in one is shown and marked, and, like all code here,
 * runs only when the reader presses Run.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, ensureSyntaxTree, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { markSolved, solvedExercises } from '../../src/lib/site/progress';
import { markScrollable } from '../../src/lib/site/scrollable';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { cellById, type CaseCheck, type CheckCase } from './exercises';
import type { RunReply } from './protocol';
import { getSandbox } from './sandbox';
import { linkedCode, shareLink } from './share';
import type { TrainingView } from './train/view';

export const storageKey = (id: string): string => `bn-cell:${id}`;

function load(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function save(key: string, code: string | null): void {
  try {
    if (code === null) localStorage.removeItem(key);
    else localStorage.setItem(key, code);
  } catch {
    // Storage may be full or disabled: the edit simply is not kept.
  }
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
};

const formatError = (n: number): string => (Number.isFinite(n) ? n.toExponential(2) : '—');

export function mount(root: HTMLElement): Cleanup {
  const cell = cellById(root.dataset.cell ?? '');
  const key = storageKey(cell.id);
  const host = root.querySelector<HTMLElement>('[data-editor]')!;
  const output = root.querySelector<HTMLElement>('[data-output]')!;
  const runButton = root.querySelector<HTMLButtonElement>('[data-run]')!;
  const resetButton = root.querySelector<HTMLButtonElement>('[data-reset]')!;
  const solutionButton = root.querySelector<HTMLButtonElement>('[data-solution]');
  const casesJson = root.dataset.cases;
  const cases = casesJson ? (JSON.parse(casesJson) as CheckCase[]) : [];
  const title = root.querySelector('[data-title]')?.textContent ?? cell.title;
  const shareButton = root.querySelector<HTMLButtonElement>('[data-share]')!;
  const shareField = root.querySelector<HTMLInputElement>('[data-share-url]')!;
  const shareStatus = root.querySelector<HTMLElement>('[data-share-status]')!;
  const problem = root.querySelector<HTMLElement>('[data-widget-error]')!;
  const fromLink = linkedCode(location.search, cell.id);
  if (fromLink && 'error' in fromLink) problem.textContent = `The code in this link could not be read (${fromLink.error}); the cell keeps its own code.`;
  const linked = fromLink && 'code' in fromLink ? fromLink.code : null;
  if (linked !== null) root.querySelector<HTMLElement>('[data-from-link]')!.hidden = false;

  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      // Code from a link is shown instead of the reader's kept edits; it is saved only once edited.
      doc: linked ?? load(key) ?? cell.starter,
      extensions: [
        lineNumbers(),
        history(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        // Wrapped, not scrolled sideways: the column is narrow, and on a phone a sideways scroller inside the page is hard to use.
        EditorView.lineWrapping,
        syntaxHighlighting(classHighlighter),
        javascript(),
        Prec.highest(keymap.of([{ key: 'Shift-Enter', run: () => (void run(), true) }])),
        // Tab indents; Escape then Tab moves focus on (CodeMirror's tab-focus mode).
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': `Code: ${title}` }),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          const code = u.state.doc.toString();
          save(key, code === cell.starter ? null : code);
        }),
      ],
    }),
  });
  host.querySelector('.cell-fallback')?.remove();

  let runs = 0;
  let failedOnce = false;

  function syntaxLine(): number | undefined {
    const tree = ensureSyntaxTree(view.state, view.state.doc.length, 500);
    let at = -1;
    tree?.iterate({ enter: (n) => (at < 0 && n.type.isError ? ((at = n.from), false) : at < 0) });
    return at < 0 ? undefined : view.state.doc.lineAt(at).number;
  }

  function show(reply: RunReply): boolean {
    output.replaceChildren();
    if (reply.type === 'stopped') {
      output.append(el('p', 'cell-error', `Stopped after ${reply.afterMs / 1000} s: the run took too long, so its worker was terminated.`));
      return false;
    }
    if (reply.logs.length) output.append(el('pre', 'cell-log', reply.logs.join('\n')));
    if (reply.error) {
      const line = reply.error.line ?? (reply.error.name === 'SyntaxError' ? syntaxLine() : undefined);
      output.append(el('p', 'cell-error', `${line ? `Line ${line}: ` : ''}${reply.error.name}: ${reply.error.message}`));
      return false;
    }
    if (reply.value !== undefined) output.append(el('pre', 'cell-value', reply.value));
    if (reply.checks) return showChecks(reply.checks, reply.mistake);
    if (!reply.logs.length && reply.value === undefined) output.append(el('p', 'cell-note', 'Ran. Nothing was logged or returned.'));
    return true;
  }

  function showChecks(checks: CaseCheck[], mistake: string | undefined): boolean {
    const failed = checks.filter((c) => !c.ok).length;
    output.append(el('p', failed ? 'cell-fail' : 'cell-pass', failed ? `${failed} of ${checks.length} reference cases fail.` : `All ${checks.length} reference cases pass.`));
    const table = el('table', 'cell-checks');
    const head = table.createTHead().insertRow();
    for (const h of ['Case', 'Result', 'Largest error', 'Fields']) head.append(Object.assign(el('th', '', h), { scope: 'col' }));
    const body = table.createTBody();
    for (const c of checks) {
      const row = body.insertRow();
      row.dataset.case = c.name;
      const name = el('th', '', c.name);
      name.scope = 'row';
      name.title = c.source;
      row.append(name, el('td', c.ok ? 'cell-pass' : 'cell-fail', c.ok ? 'pass' : 'fail'), el('td', '', formatError(c.maxError)));
      row.append(el('td', '', c.fields.map((f) => `${f.field} ${f.ok ? 'ok' : (f.problem ?? `off by ${formatError(f.maxError)}`)}`).join('; ')));
    }
    output.append(table);
    const sources = [...new Set(checks.map((c) => c.source))];
    output.append(el('p', 'cell-note', `Reference values: ${sources.join('; ')}.`));
    const hint = cell.kind === 'exercise' ? cell.mistakes.find((m) => m.id === mistake) : undefined;
    if (hint) {
      const p = el('p', 'cell-hint', hint.hint);
      p.dataset.mistake = hint.id;
      p.prepend(el('strong', '', 'Hint: '));
      output.append(p);
    }
    return failed === 0;
  }

  async function run(): Promise<void> {
    root.dataset.runState = 'running';
    output.setAttribute('aria-busy', 'true');
    output.replaceChildren(el('p', 'cell-note', 'Running…'));
    const code = view.state.doc.toString();
    let ok = false;
    try {
      const sandbox = await getSandbox();
      const reply = await sandbox.run(
        cell.kind === 'exercise' ? { code, check: { fn: cell.fn, cases, mistakes: cell.mistakes.map(({ id, code }) => ({ id, code })) } } : { code },
      );
      ok = show(reply);
      markScrollable(output);
    } catch (err) {
      output.replaceChildren(el('p', 'cell-error', `The sandbox could not start: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (!ok && cell.kind === 'exercise') failedOnce = true;
    if (ok && cell.kind === 'exercise') markSolved(cell.id);
    if (solutionButton && failedOnce) solutionButton.hidden = false;
    output.removeAttribute('aria-busy');
    root.dataset.runs = String(++runs);
    root.dataset.runState = 'done';
  }

  const onRun = (): void => void run();
  const onShare = (): void => {
    const link = shareLink(location.href, cell.id, view.state.doc.toString());
    if ('error' in link) {
      shareField.closest<HTMLElement>('[data-share-row]')!.hidden = true;
      problem.textContent = link.error;
      return;
    }
    problem.textContent = '';
    shareField.value = link.url;
    shareField.closest<HTMLElement>('[data-share-row]')!.hidden = false;
    shareStatus.textContent = 'Link to this code:';
    // Copying needs the clipboard permission; the field shows the link either way.
    navigator.clipboard?.writeText(link.url).then(
      () => (shareStatus.textContent = 'Link copied:'),
      () => shareField.select(),
    );
  };
  const onReset = (): void => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: cell.starter } });
    save(key, null);
    output.replaceChildren();
    root.querySelector<HTMLElement>('[data-from-link]')!.hidden = true;
  };
  const onSolution = (): void => {
    if (cell.kind !== 'exercise') return;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: cell.solution } });
    view.focus();
  };
  // "Train with my BN": an exercise runs its check first, so the reference cases' result stands beside the training verdict.
  // Loaded with the cell (Plot and the MNIST loader stay out of cells that do not train).
  let training: TrainingView | undefined;
  let unmounted = false;
  if (cell.trains) {
    void import('./train/view').then(({ trainingView }) => {
      if (!unmounted) training = trainingView(root);
    });
  }
  const trainButton = root.querySelector<HTMLButtonElement>('[data-train-start]');
  const onTrain = async (): Promise<void> => {
    if (cell.kind === 'exercise') await run();
    // The reader's own backward is the gradient once they have solved that exercise.
    const backwardCode = solvedExercises().has('backward') ? (load(storageKey('backward')) ?? undefined) : undefined;
    await training?.start(view.state.doc.toString(), backwardCode);
  };
  const onTrainClick = (): void => void onTrain();
  trainButton?.addEventListener('click', onTrainClick);
  runButton.addEventListener('click', onRun);
  resetButton.addEventListener('click', onReset);
  shareButton.addEventListener('click', onShare);
  solutionButton?.addEventListener('click', onSolution);
  for (const b of [runButton, resetButton, shareButton]) b.disabled = false;
  return () => {
    runButton.removeEventListener('click', onRun);
    resetButton.removeEventListener('click', onReset);
    shareButton.removeEventListener('click', onShare);
    solutionButton?.removeEventListener('click', onSolution);
    trainButton?.removeEventListener('click', onTrainClick);
    unmounted = true;
    training?.dispose();
    view.destroy();
  };
}
