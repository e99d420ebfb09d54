import { checkNumeric, verdictMessage } from './numeric-answer';

/**
 * Checks the number typed into a numeric chapter question (<Question numeric={…}>) and puts the
 * verdict into the question's live region, which screen readers announce. The answer and tolerance
 * are the form's data attributes, written at build time.
 */
export function checkAnswer(form: HTMLFormElement): void {
  const input = form.querySelector('input')!;
  const result = form.querySelector('output')!;
  const verdict = checkNumeric(input.value, Number(form.dataset.answer), Number(form.dataset.tolerance));
  result.textContent = verdictMessage(verdict);
  result.dataset.verdict = verdict.kind;
  input.setAttribute('aria-invalid', String(verdict.kind === 'invalid'));
}
