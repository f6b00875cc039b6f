import type { ReactNode, SelectHTMLAttributes } from 'react';
import { describedBy, FieldGroup } from './Field.tsx';

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
    <FieldGroup id={id} label={label} hint={hint} error={error}>
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
    </FieldGroup>
  );
}
