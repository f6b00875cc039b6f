// Errors kept as message keys, not words: put into words when shown, so a page whose language is
// switched after an error shows the error in the new language too.
import type { SummaryError } from '../components/ErrorSummary.tsx';
import type { MessageKey, Params } from '../i18n/messages.ts';

export interface Err {
  /** The id of the field the error summary links to. */
  field: string;
  key: MessageKey;
  params?: Params;
  /** What the error is about (a form key, a material code): its words fill `{field}` when shown. */
  about?: string;
  /** Text the API wrote (in the language it was asked in), after the message. */
  detail?: string;
}

export function summaryOf(
  errors: readonly Err[],
  t: (key: MessageKey, params?: Params) => string,
  label: (about: string) => string = (about) => about,
): SummaryError[] {
  return errors.map((e) => {
    const words = t(e.key, e.about === undefined ? e.params : { ...e.params, field: label(e.about) });
    return { field: e.field, text: e.detail ? `${words}: ${e.detail}` : words };
  });
}
