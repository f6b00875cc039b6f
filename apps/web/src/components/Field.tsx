import type { ReactNode } from 'react';
import { useI18n } from '../i18n/context.tsx';

/** The hint and error of a field or fieldset; their ids go in aria-describedby. */
export function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function Hint({ id, children }: { id: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <div id={`${id}-hint`} className="hint">
      {children}
    </div>
  );
}

export function ErrorMessage({ id, children }: { id: string; children?: string }) {
  const { t } = useI18n();
  if (!children) return null;
  return (
    <p id={`${id}-error`} className="error-message">
      <span className="visually-hidden">{t('error.prefix')}</span>
      {children}
    </p>
  );
}

/** A labelled control's group: the label, its hint and error (announced with it), then the control. */
export function FieldGroup({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id}>{error}</ErrorMessage>
      {children}
    </div>
  );
}
