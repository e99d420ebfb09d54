import { checkNumeric, verdictMessage } from './numeric-answer';

/**
 * Binds the Check button of every numeric chapter question (<Question numeric={…}>): the verdict
 * goes into the question's live region, which screen readers announce. The answer and tolerance
 * are the form's data attributes, written at build time.
 */
export function bindQuestionChecks(root: ParentNode = document): void {
  for (const form of root.querySelectorAll<HTMLFormElement>('form.question-check')) {
    const input = form.querySelector('input')!;
    const result = form.querySelector('output')!;
    const answer = Number(form.dataset.answer);
    const tolerance = Number(form.dataset.tolerance);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const verdict = checkNumeric(input.value, answer, tolerance);
      result.textContent = verdictMessage(verdict);
      result.dataset.verdict = verdict.kind;
      input.setAttribute('aria-invalid', String(verdict.kind === 'invalid'));
    });
  }
}
