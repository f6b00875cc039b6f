// 概览: volumes, deadline compliance and overdue tasks per department (GET workflow/stats).
import type { WorkflowStatsView } from '@tongban/contracts';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { Select } from '../components/Select.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { usePageTitle } from '../lib/title.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { useFresh } from './data.ts';
import { useDepartmentNames } from './names.ts';

const WINDOWS = ['7', '30', '90'] as const;

export function Dashboard() {
  const { t } = useI18n();
  usePageTitle(t('console.dashboard.title'));
  const [days, setDays] = useState<string>('30');
  const [choice, setChoice] = useState<string>('30');
  const stats = useFresh<WorkflowStatsView>(`workflow/stats?days=${days}`);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setDays(choice);
  };
  return (
    <>
      <h1 className="heading-l">{t('console.dashboard.title')}</h1>
      <form className="inline-form" onSubmit={apply}>
        <Select
          id="days"
          label={t('console.dashboard.window')}
          value={choice}
          onChange={(e) => setChoice(e.currentTarget.value)}
          options={WINDOWS.map((d) => ({ value: d, label: t('console.dashboard.windowDays', { days: d }) }))}
        />
        <Button type="submit" variant="secondary">
          {t('console.dashboard.show')}
        </Button>
      </form>
      {stats.state === 'loading' ? (
        <Loading />
      ) : stats.state === 'error' ? (
        <ErrorPage problem={stats.problem} />
      ) : (
        <Figures stats={stats.data} />
      )}
    </>
  );
}

const STATUS: Record<string, MessageKey> = {
  in_progress: 'console.status.in_progress',
  completed: 'console.status.completed',
  closed: 'console.status.closed',
  withdrawn: 'console.status.withdrawn',
};

function Figures({ stats }: { stats: WorkflowStatsView }) {
  const { t, number, date } = useI18n();
  const names = useDepartmentNames();
  const total = (k: 'open' | 'overdue' | 'completedInTime' | 'completedLate') =>
    stats.departments.reduce((sum, d) => sum + d[k], 0);
  const decided = total('completedInTime') + total('completedLate');
  const rate = (inTime: number, late: number) =>
    inTime + late === 0 ? t('console.dashboard.none') : `${number(Math.round((inTime / (inTime + late)) * 100))}%`;
  return (
    <>
      <p className="body secondary-text">
        {t('console.dashboard.asOf', { date: date(`${stats.today}T12:00:00+08:00`), days: number(stats.days) })}
      </p>
      <ul className="figures">
        <li className="figure">
          <span className="figure__number">{number(stats.submitted)}</span>
          {t('console.dashboard.submitted', { days: number(stats.days) })}
        </li>
        <li className="figure">
          <span className="figure__number">{number(total('open'))}</span>
          {t('console.dashboard.open')}
        </li>
        <li className={total('overdue') > 0 ? 'figure figure--alert' : 'figure'}>
          <span className="figure__number">{number(total('overdue'))}</span>
          {t('console.dashboard.overdue')}
        </li>
        <li className="figure">
          <span className="figure__number">{rate(total('completedInTime'), total('completedLate'))}</span>
          {t('console.dashboard.inTimeRate', { count: number(decided) })}
        </li>
      </ul>

      {/* Wider than a phone: it scrolls sideways by itself, a region the keyboard can reach. */}
      <div className="table-wrap" role="region" aria-labelledby="departments-caption" tabIndex={0}>
        <table className="table table--wide">
          <caption id="departments-caption">{t('console.dashboard.departments')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.dashboard.department')}</th>
              <NumericHead>{t('console.dashboard.col.open')}</NumericHead>
              <NumericHead>{t('console.dashboard.col.overdue')}</NumericHead>
              <NumericHead>{t('console.dashboard.col.inTime')}</NumericHead>
              <NumericHead>{t('console.dashboard.col.late')}</NumericHead>
              <NumericHead>{t('console.dashboard.col.rate')}</NumericHead>
            </tr>
          </thead>
          <tbody>
            {stats.departments.length === 0 && <EmptyRow columns={6}>{t('console.dashboard.noTasks')}</EmptyRow>}
            {stats.departments.map((d) => (
              <tr key={d.departmentCode}>
                <th scope="row">{names(d.departmentCode)}</th>
                <td className="table__numeric">{number(d.open)}</td>
                <td className="table__numeric">{number(d.overdue)}</td>
                <td className="table__numeric">{number(d.completedInTime)}</td>
                <td className="table__numeric">{number(d.completedLate)}</td>
                <td className="table__numeric">{rate(d.completedInTime, d.completedLate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="table-wrap">
        <table className="table">
          <caption>{t('console.dashboard.applications')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.dashboard.status')}</th>
              <NumericHead>{t('console.dashboard.count')}</NumericHead>
            </tr>
          </thead>
          <tbody>
            {stats.applications.length === 0 && (
              <EmptyRow columns={2}>{t('console.dashboard.noApplications')}</EmptyRow>
            )}
            {stats.applications.map((a) => (
              <tr key={a.status}>
                <th scope="row">{STATUS[a.status] ? t(STATUS[a.status]!) : a.status}</th>
                <td className="table__numeric">{number(a.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** A column's heading over numbers (right-aligned as they are). */
function NumericHead({ children }: { children: ReactNode }) {
  return (
    <th scope="col" className="table__numeric">
      {children}
    </th>
  );
}

/** The one row of a table with nothing to count yet, across all its columns. */
function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}
