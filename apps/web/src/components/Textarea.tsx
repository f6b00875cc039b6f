import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { describedBy, ErrorMessage, Hint } from './Field.tsx';

type Props = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
};

/** A labelled multi-line input (a reason, a note); hint and error announced with it. */
export function Textarea({ id, label, hint, error, className, rows = 5, ...rest }: Props) {
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id}>{error}</ErrorMessage>
      <textarea
        id={id}
        rows={rows}
        className={['input', 'textarea', error ? 'input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </div>
  );
}
