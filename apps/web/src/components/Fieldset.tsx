import type { ReactNode } from 'react';
import { describedBy, ErrorMessage, Hint } from './Field.tsx';

interface Props {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** The legend is the page's heading (GOV.UK: one question per page). */
  legendIsHeading?: boolean;
  children: ReactNode;
}

/** A group of related inputs under one question (radios, checkboxes, a date). */
export function Fieldset({ id, legend, hint, error, legendIsHeading, children }: Props) {
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      <fieldset className="fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className={legendIsHeading ? 'fieldset__legend fieldset__legend--l' : 'fieldset__legend'}>
          {legendIsHeading ? <h1 className="fieldset__heading">{legend}</h1> : legend}
        </legend>
        <Hint id={id}>{hint}</Hint>
        <ErrorMessage id={id}>{error}</ErrorMessage>
        {children}
      </fieldset>
    </div>
  );
}
