import type { ReactNode } from 'react';

export interface SummaryRow {
  key: ReactNode;
  value: ReactNode;
  /** A "Change" link or similar, for check-your-answers pages. */
  action?: ReactNode;
}

/** Key–value pairs (a <dl>): stacks on narrow screens. */
export function SummaryList({ rows }: { rows: SummaryRow[] }) {
  return (
    <dl className="summary-list">
      {rows.map((row, i) => (
        <div className="summary-list__row" key={i}>
          <dt className="summary-list__key">{row.key}</dt>
          <dd className="summary-list__value">{row.value}</dd>
          {row.action && <dd className="summary-list__actions">{row.action}</dd>}
        </div>
      ))}
    </dl>
  );
}
