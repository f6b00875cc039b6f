import { useEffect, useRef, type MouseEvent } from 'react';
import { useI18n } from '../i18n/context.tsx';

export interface SummaryError {
  /** The id of the field (for radios and checkboxes, of the first input). */
  field: string;
  text: string;
}

/**
 * GOV.UK's error summary: at the top of main, announced (role=alert), links to each field, and
 * focused once when it appears. Focus moves in an effect, after the browser has the element, and
 * only once: a second focus while JAWS is still reading the first would cut it off.
 */
export function ErrorSummary({ errors }: { errors: SummaryError[] }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);

  const jump = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
    const field = document.getElementById(id);
    if (!field) return;
    event.preventDefault();
    // The question (legend or label) above the field should stay in view, as GOV.UK does.
    const question = field.closest('fieldset')?.querySelector('legend') ?? document.querySelector(`label[for="${id}"]`);
    (question ?? field).scrollIntoView();
    field.focus({ preventScroll: true });
  };

  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={ref}>
      <h2 className="error-summary__title" id="error-summary-title">
        {t('errorSummary.title')}
      </h2>
      <ul className="error-summary__list">
        {errors.map((e) => (
          <li key={e.field}>
            <a href={`#${e.field}`} onClick={(event) => jump(event, e.field)}>
              {e.text}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
