import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { describedBy, FieldGroup } from './Field.tsx';

type Props = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
};

/** A labelled multi-line input (a reason, a note); hint and error announced with it. */
export function Textarea({ id, label, hint, error, className, rows = 5, ...rest }: Props) {
  return (
    <FieldGroup id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        rows={rows}
        className={['input', 'textarea', error ? 'input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </FieldGroup>
  );
}
