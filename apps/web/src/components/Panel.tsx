import type { ReactNode } from 'react';

/** The confirmation panel: the outcome of a transaction and its reference number. */
export function Panel({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="panel">
      <h1 className="panel__title">{title}</h1>
      {children && <div className="panel__body">{children}</div>}
    </div>
  );
}
