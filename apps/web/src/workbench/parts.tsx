// Pieces the workbench's pages share: the area's navigation, a task's due-date badge, names from the catalog.
import { Link } from '../components/Link.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogPaths, type Matter } from '../lib/catalog.ts';
import { useLocation } from '../lib/router.tsx';
import { useApi } from '../lib/useApi.ts';
import { serviceToday, workingDaysLeft, type Calendar } from './days.ts';
import { paths, type Deadline } from './types.ts';

/** The area's own navigation: the queue, and the counter for officers who staff one. */
export function WorkbenchNav({ counter }: { counter: boolean }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const items = [
    { href: '/workbench', label: t('workbench.nav.queue') },
    ...(counter ? [{ href: '/workbench/counter', label: t('workbench.nav.counter') }] : []),
  ];
  return (
    <nav className="wb-nav" aria-label={t('workbench.nav.label')}>
      <ul className="wb-nav__list">
        {items.map((i) => (
          <li key={i.href}>
            <Link
              href={i.href}
              className="link wb-nav__link"
              aria-current={pathname.replace(/\/$/, '') === i.href ? 'page' : undefined}
            >
              {i.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A region's working calendar: the first six digits of a department's code (330100-GA → 330100). */
export function useCalendar(region: string): Calendar | undefined {
  const calendar = useApi<Calendar>(paths.calendar(region));
  return calendar.state === 'ok' ? calendar.data : undefined;
}

export const regionOf = (departmentCode: string) => departmentCode.split('-')[0] ?? departmentCode;

/**
 * How long is left, in words (the colour only repeats them): overdue by N working days (red), due
 * today or soon (yellow), N working days left (green); paused while a correction is awaited.
 */
export function DueBadge({
  dueOn,
  deadline,
  region,
  paused,
}: {
  dueOn: string | null;
  deadline: Deadline;
  region: string;
  paused?: { remainingDays: number | null };
}) {
  const { t, n, date } = useI18n();
  const calendar = useCalendar(region);
  if (paused) {
    return (
      <Tag colour="grey">
        {paused.remainingDays === null
          ? t('workbench.due.paused')
          : n('workbench.due.pausedLeft', paused.remainingDays)}
      </Tag>
    );
  }
  if (!dueOn) return <Tag colour="grey">{t('workbench.due.none')}</Tag>;
  const left = calendar ? workingDaysLeft(serviceToday(), dueOn, calendar) : undefined;
  const on = t('workbench.due.on', { date: date(`${dueOn}T12:00:00+08:00`) });
  if (deadline === 'overdue' || (left !== undefined && left < 0)) {
    return (
      <span className="wb-due">
        <Tag colour="red">{left !== undefined ? n('workbench.due.overdue', -left) : t('workbench.due.overdueAny')}</Tag>{' '}
        <span className="secondary-text">{on}</span>
      </span>
    );
  }
  const text =
    left === undefined
      ? t('workbench.due.open')
      : left === 0
        ? t('workbench.due.today')
        : n('workbench.due.left', left);
  return (
    <span className="wb-due">
      <Tag colour={deadline === 'due_soon' || left === 0 ? 'yellow' : 'green'}>{text}</Tag>{' '}
      <span className="secondary-text">{on}</span>
    </span>
  );
}

/** A matter's name from the catalog (its code until read). */
export function MatterName({ code, version }: { code: string; version?: number }) {
  const { text } = useI18n();
  const matter = useApi<Matter>(catalogPaths.matter(code, version));
  return <>{matter.state === 'ok' ? text(matter.data.name) : code}</>;
}
