import type { InputHTMLAttributes, ReactNode } from 'react';
import { describedBy, ErrorMessage, Hint } from './Field.tsx';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** The label is the page's heading (GOV.UK: one question per page). */
  labelIsHeading?: boolean;
};

/** A labelled text input; its hint and error message are announced with it (aria-describedby). */
export function TextInput({ id, label, hint, error, labelIsHeading, className, type = 'text', ...rest }: Props) {
  const labelEl = (
    <label className={labelIsHeading ? 'label label--l' : 'label'} htmlFor={id}>
      {label}
    </label>
  );
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      {labelIsHeading ? <h1 className="label-wrapper">{labelEl}</h1> : labelEl}
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id}>{error}</ErrorMessage>
      <input
        id={id}
        type={type}
        className={['input', error ? 'input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </div>
  );
}
