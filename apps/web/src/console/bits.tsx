// Small pieces the console's pages share: a problem said in words where a section's data should
// be, and the mapping of an API's field errors (problem+json errors[].field) to the page's inputs.
import type { SummaryError } from '../components/ErrorSummary.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { catalogs } from '../i18n/messages.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';

/** A problem where a section's data would be (the page keeps its one h1). */
export function ProblemNote({ problem }: { problem: Problem }) {
  const { t } = useI18n();
  return (
    <div className="inset" role="status">
      <p className="body">{t(problemMessageKey(problem.code))}</p>
      <p className="body secondary-text">{t('error.code', { code: problem.code })}</p>
    </div>
  );
}

/** What a page shows of what it or the API refused: the message by each input, and the summary's list. */
export type Errors = { byInput: Record<string, string>; summary: SummaryError[] };
export const none: Errors = { byInput: {}, summary: [] };
/** One input's error, by it and in the summary. */
export const one = (field: string, text: string): Errors => ({
  byInput: { [field]: text },
  summary: [{ field, text }],
});

/**
 * Errors by input id, and the summary's list, from a problem; `toInput` maps an API field to an
 * input id. A code we have words for gets them; any other shows the API's message (in the
 * language asked for), after the input's label when `labelled` knows it, so that the summary
 * says which input it is about.
 */
export function fieldErrors(
  problem: Problem,
  toInput: (field: string) => string,
  wordsFor: (code: string, fallback: string) => string,
  fallbackInput: string,
  labelled?: (input: string, message: string) => string | undefined,
): Errors {
  const byInput: Record<string, string> = {};
  for (const e of problem.errors ?? []) {
    const id = toInput(e.field) || fallbackInput;
    const ours = hasWords(e.code);
    const words = (ours ? undefined : labelled?.(id, e.message)) ?? wordsFor(e.code, e.message);
    byInput[id] = byInput[id] ? `${byInput[id]} ${words}` : words;
  }
  return { byInput, summary: Object.entries(byInput).map(([field, text]) => ({ field, text })) };
}

const hasWords = (code: string) => Object.hasOwn(catalogs['zh-CN'], `console.field.${code}`);

/** Words for a field error's code (`console.field.<code>`), else the API's own message. */
export function useFieldWords(): (code: string, fallback: string) => string {
  const { t } = useI18n();
  return (code, fallback) => {
    return hasWords(code) ? t(`console.field.${code}` as MessageKey) : fallback;
  };
}

/** An API message after the label of the input it is about (the label as the page shows it). */
export function useLabelled(): (input: string, message: string) => string | undefined {
  const { t } = useI18n();
  return (input, message) => {
    const label =
      document.querySelector(`label[for="${input}"]`)?.textContent ??
      document.getElementById(input)?.closest('fieldset')?.querySelector('legend')?.textContent;
    return label ? t('console.field.labelled', { label, message }) : undefined;
  };
}
