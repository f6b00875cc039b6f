// /workbench: my departments' open tasks, soonest due first (the API's order), with due-date
// badges; filters (overdue, unassigned, department) are a GET form, so the address keeps them and
// Back returns to the same view; paging by ?page=. A task nobody holds can be claimed from here.
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { Select } from '../components/Select.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useLocation, useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { catalogPaths, type Department } from '../lib/catalog.ts';
import { useApiAll, useFresh } from '../lib/useApi.ts';
import { DepartmentName } from '../pages/guide.tsx';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { DueBadge, MatterName, regionOf, WorkbenchNav } from './parts.tsx';
import { paths, type QueueRow } from './types.ts';

export const PAGE_SIZE = 20;

export function Queue() {
  const { t } = useI18n();
  const { session } = useSession();
  const { query } = useLocation();
  const { navigate } = useRouter();
  const user = session.state === 'signedIn' ? session.user : undefined;
  const departments = user?.departments ?? [];
  const deadline = query.get('deadline') === 'overdue' ? 'overdue' : '';
  const assignee = ['unassigned', 'me'].includes(query.get('assignee') ?? '') ? (query.get('assignee') ?? '') : '';
  const department = departments.includes(query.get('department') ?? '') ? (query.get('department') ?? '') : '';
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);

  const ask = new URLSearchParams();
  if (deadline) ask.set('deadline', deadline);
  if (assignee) ask.set('assignee', assignee);
  if (department) ask.set('department', department);
  // One more than a page: whether there is a next page.
  ask.set('limit', String(PAGE_SIZE + 1));
  ask.set('offset', String((page - 1) * PAGE_SIZE));
  const rows = useFresh<QueueRow[]>(paths.queue(ask));
  usePageTitle(t('workbench.queue.title'));

  const filter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(event.currentTarget))
      if (typeof value === 'string' && value !== '') next.set(name, value);
    navigate(`/workbench${next.size ? `?${next.toString()}` : ''}`);
  };
  const pageHref = (p: number) => {
    const q = new URLSearchParams(query);
    if (p === 1) q.delete('page');
    else q.set('page', String(p));
    return `/workbench${q.size ? `?${q.toString()}` : ''}`;
  };

  return (
    <>
      <WorkbenchNav counter={user?.roles.includes('counter') ?? false} />
      <span className="caption">{departments.map((d, i) => [i > 0 && '、', <DepartmentName key={d} code={d} />])}</span>
      <h1 className="heading-l">{t('workbench.queue.title')}</h1>
      <form
        className="wb-filters"
        action="/workbench"
        method="get"
        onSubmit={filter}
        aria-label={t('workbench.filters.label')}
      >
        <Select
          id="deadline"
          name="deadline"
          label={t('workbench.filters.deadline')}
          defaultValue={deadline}
          options={[
            { value: '', label: t('workbench.filters.deadline.any') },
            { value: 'overdue', label: t('workbench.filters.deadline.overdue') },
          ]}
        />
        <Select
          id="assignee"
          name="assignee"
          label={t('workbench.filters.assignee')}
          defaultValue={assignee}
          options={[
            { value: '', label: t('workbench.filters.assignee.any') },
            { value: 'unassigned', label: t('workbench.filters.assignee.unassigned') },
            { value: 'me', label: t('workbench.filters.assignee.me') },
          ]}
        />
        {departments.length > 1 && <DepartmentSelect departments={departments} value={department} />}
        <Button type="submit" variant="secondary">
          {t('workbench.filters.apply')}
        </Button>
      </form>
      {rows.state === 'loading' && <Loading />}
      {rows.state === 'error' && <ErrorPage problem={rows.problem} />}
      {rows.state === 'ok' && (
        <Rows
          rows={rows.data.slice(0, PAGE_SIZE)}
          onChange={rows.reload}
          filtered={Boolean(deadline || assignee || department)}
        />
      )}
      {rows.state === 'ok' && (page > 1 || rows.data.length > PAGE_SIZE) && (
        <nav className="wb-pages" aria-label={t('workbench.pages.label')}>
          {page > 1 && (
            <Link href={pageHref(page - 1)} className="link" rel="prev">
              {t('workbench.pages.previous')}
            </Link>
          )}
          <span className="body">{t('workbench.pages.page', { page })}</span>
          {rows.data.length > PAGE_SIZE && (
            <Link href={pageHref(page + 1)} className="link" rel="next">
              {t('workbench.pages.next')}
            </Link>
          )}
        </nav>
      )}
    </>
  );
}

function DepartmentSelect({ departments, value }: { departments: string[]; value: string }) {
  const { t, text } = useI18n();
  const names = useApiAll<Department>(departments.map((d) => catalogPaths.department(d)));
  const nameOf = (code: string) =>
    names.state === 'ok' ? text(names.data.find((d) => d.code === code)?.name ?? { zh: code, en: code }) : code;
  return (
    <Select
      id="department"
      name="department"
      label={t('workbench.filters.department')}
      defaultValue={value}
      options={[
        { value: '', label: t('workbench.filters.department.any') },
        ...departments.map((d) => ({ value: d, label: nameOf(d) })),
      ]}
    />
  );
}

function Rows({ rows, onChange, filtered }: { rows: QueueRow[]; onChange: () => void; filtered: boolean }) {
  const { t, n, text } = useI18n();
  const { session } = useSession();
  const { locale } = useI18n();
  const [claimed, setClaimed] = useState<string | null>(null);
  const [error, setError] = useState<MessageKey | null>(null);
  const me = session.state === 'signedIn' ? session.user.id : '';

  const claim = async (row: QueueRow) => {
    if (session.state !== 'signedIn') return;
    setError(null);
    try {
      await api(paths.claim(row.taskId), {
        locale,
        method: 'POST',
        body: { version: row.version },
        csrf: session.csrf,
      });
      setClaimed(row.caseNumber ?? row.taskId);
    } catch (e) {
      setError(problemMessageKey(problemFrom(e).code, 'workbench'));
    }
    onChange();
  };

  return (
    <>
      {error && <ErrorSummary key={error} errors={[{ field: 'queue-results', text: t(error) }]} />}
      {claimed && (
        <NotificationBanner type="success" title={t('workbench.claim.done.title')}>
          <p className="notification-banner__heading">{t('workbench.claim.done', { case: claimed })}</p>
        </NotificationBanner>
      )}
      <p className="body" id="queue-results" tabIndex={-1}>
        {rows.length === 0
          ? t(filtered ? 'workbench.queue.noneFiltered' : 'workbench.queue.none')
          : n('workbench.queue.count', rows.length)}
      </p>
      <ul className="wb-queue">
        {rows.map((row) => (
          <li className="wb-queue__item" key={row.taskId}>
            <h2 className="heading-s wb-queue__title">
              <Link href={`/workbench/tasks/${encodeURIComponent(row.taskId)}`} className="link">
                {row.caseNumber ?? row.applicationId}
              </Link>
            </h2>
            <p className="body wb-queue__matter">
              <MatterName code={row.matterCode} />
            </p>
            <div className="wb-queue__meta">
              <Tag colour="blue">{text(row.stateName)}</Tag>
              <DueBadge dueOn={row.dueOn} deadline={row.deadline} region={regionOf(row.departmentCode)} />
              {row.escalated && <Tag colour="red">{t('workbench.escalated')}</Tag>}
            </div>
            <p className="body secondary-text">
              {row.assignee === null
                ? t('workbench.assignee.none')
                : row.assignee === me
                  ? t('workbench.assignee.me')
                  : t('workbench.assignee.other')}
              {row.channel === 'counter' && ` · ${t('workbench.channel.counter')}`}
            </p>
            {row.assignee === null && (
              <Button variant="secondary" onClick={() => void claim(row)}>
                {t('workbench.claim.button')}
                <span className="visually-hidden"> {row.caseNumber ?? row.applicationId}</span>
              </Button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
