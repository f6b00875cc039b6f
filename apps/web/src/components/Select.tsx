import type { ReactNode, SelectHTMLAttributes } from 'react';
import { describedBy, ErrorMessage, Hint } from './Field.tsx';

export interface Option {
  value: string;
  label: string;
}

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  id: string;
  label: ReactNode;
  options: readonly Option[];
  hint?: ReactNode;
  error?: string;
};

/** A labelled native select (keyboard and screen readers get the platform's own behaviour). */
export function Select({ id, label, options, hint, error, className, ...rest }: Props) {
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id}>{error}</ErrorMessage>
      <select
        id={id}
        className={['input', 'select', error ? 'input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
