import '../payments/messages.ts';
import { useEffect, useRef, useState } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { ButtonLink } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { Link } from '../components/Link.tsx';
import { Tag, type TagColour } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { AWAITING_PAYMENT, payHref, paymentsDue, type PayableNeed, type PaymentDue } from '../payments/model.ts';
import { StatusTag, useSubjectNames } from './Applications.tsx';
import { useFresh } from './data.ts';
import { journeyPaths, type ApplicationView, type TaskView, type TimelineStep } from './model.ts';
import { useTaskNames } from './names.ts';
import { useLiveSteps } from './live.ts';
import { UploadedMaterials } from './UploadedMaterials.tsx';
import { dateTime } from './time.ts';
import './journey.css';

/** Once a department has decided, the application can no longer be withdrawn (WORKFLOW_WITHDRAW_DECIDED). */
const DECIDED = new Set(['approved', 'rejected']);

const TASK_COLOUR: Record<string, TagColour> = {
  approved: 'green',
  rejected: 'red',
  correction: 'yellow',
  withdrawn: 'grey',
  waiting: 'grey',
  [AWAITING_PAYMENT]: 'yellow',
};

/** /applications/<id>: my case — each department's task and its timeline, updated live; what is needed from me. */
export default function Case({ params }: PageProps) {
  const { t, text, date, locale, money } = useI18n();
  const id = params['id'] ?? '';
  const app = useFresh<ApplicationView>(`workflow/applications/${encodeURIComponent(id)}`);
  const steps = useFresh<TimelineStep[]>(`workflow/applications/${encodeURIComponent(id)}/timeline`);
  const names = useTaskNames(app.state === 'ok' ? app.data.tasks : []);
  const subjectName = useSubjectNames(app.state === 'ok' ? [app.data] : []);
  const [announcement, setAnnouncement] = useState('');
  const seen = useRef<number | undefined>(undefined);

  useLiveSteps((step) => {
    if (step.applicationId && step.applicationId !== id) return;
    app.reload();
    steps.reload();
  });

  // Say what changed (politely) once the re-read timeline has a step that was not there before.
  const last = steps.state === 'ok' ? steps.data.at(-1) : undefined;
  useEffect(() => {
    if (!last) return;
    if (seen.current !== undefined && last.seq > seen.current)
      setAnnouncement(t('journey.case.updated', { action: text(last.actionName) }));
    seen.current = last.seq;
  }, [last, t, text]);

  const name = app.state === 'ok' ? subjectName(app.data.subject.code) : undefined;
  const title = name ? text(name) : t('journey.case.title');
  usePageTitle(title);
  if (app.state === 'error') return <ErrorPage problem={app.problem} />;
  if (app.state === 'loading') return <Loading />;
  const a = app.data;
  const timeline = steps.state === 'ok' ? steps.data : [];
  const at = (iso: string | null) => (iso ? dateTime(locale, iso) : '');
  const general = timeline.filter((s) => s.taskId === null);
  // What is to be paid (a task awaiting payment): said first, with 去缴费.
  const needed = a.needed as PayableNeed[];
  const dues = paymentsDue(a.tasks, needed);

  return (
    <>
      <BackLink href="/applications">{t('journey.applications.title')}</BackLink>
      <span className="caption">{a.caseNumber ? t('journey.case.number', { number: a.caseNumber }) : ''}</span>
      <h1 className="heading-l">{title}</h1>
      <p className="visually-hidden" aria-live="polite" id="live-status">
        {announcement}
      </p>
      {dues.map((due) => {
        const m = names.matter(due.matterCode);
        const matter = m ? text(m) : due.matterCode;
        return (
          <NotificationBanner key={`pay-${due.taskId}`} title={t('payments.case.title')}>
            <p className="notification-banner__heading">
              {due.amountFen === null
                ? t('payments.case.bodyNoAmount', { matter })
                : t('payments.case.body', { matter, amount: money(due.amountFen) })}
            </p>
            <ButtonLink href={payHref(due)}>{t('payments.task.pay')}</ButtonLink>
          </NotificationBanner>
        );
      })}
      {needed.map((need) => {
        if (need.kind === 'payment' || dues.some((d) => d.taskId === need.taskId && need.orderId != null)) return null;
        const task = a.tasks.find((x) => x.id === need.taskId);
        const m = names.matter(need.matterCode);
        return (
          <NotificationBanner key={need.taskId} title={t('journey.case.needed.title')}>
            <p className="notification-banner__heading">
              {t('journey.case.needed.body', { matter: m ? text(m) : need.matterCode })}
            </p>
            <p className="body">{t('journey.case.needed.reason', { reason: need.reason })}</p>
            {task && need.kind === 'correction' && (
              <ButtonLink href={journeyPaths.correction(a.id, task.id)}>{t('journey.case.needed.answer')}</ButtonLink>
            )}
          </NotificationBanner>
        );
      })}
      <SummaryList
        rows={[
          { key: t('journey.case.status'), value: <StatusTag status={a.status} /> },
          ...(a.submittedAt ? [{ key: t('journey.case.submittedAt'), value: date(a.submittedAt) }] : []),
          ...(a.withdrawalReason ? [{ key: t('journey.case.withdrawnBecause'), value: a.withdrawalReason }] : []),
        ]}
      />
      {general.length > 0 && <Steps steps={general} at={at} label={t('journey.case.application')} />}
      <h2 className="heading-m">{t('journey.case.departments')}</h2>
      {a.tasks.map((task) => (
        <DepartmentTask
          key={task.id}
          task={task}
          due={dues.find((d) => d.taskId === task.id)}
          names={names}
          steps={timeline.filter((s) => s.taskId === task.id)}
          at={at}
        />
      ))}
      <UploadedMaterials materials={a.materials} />
      {a.status === 'in_progress' && !a.tasks.some((x) => DECIDED.has(x.state)) && (
        <p className="body">
          <ButtonLink href={journeyPaths.withdraw(a.id)} variant="warning">
            {t('journey.withdraw.button')}
          </ButtonLink>
        </p>
      )}
    </>
  );
}

function DepartmentTask({
  task,
  due,
  names,
  steps,
  at,
}: {
  task: TaskView;
  /** Awaiting payment: its order, for 去缴费. */
  due: PaymentDue | undefined;
  names: ReturnType<typeof useTaskNames>;
  steps: TimelineStep[];
  at: (iso: string | null) => string;
}) {
  const { t, text, date } = useI18n();
  const d = names.department(task.departmentCode);
  const m = names.matter(task.matterCode);
  const headingId = `task-${task.id}`;

  return (
    <section className="department" aria-labelledby={headingId}>
      <h3 className="heading-s department__name" id={headingId}>
        {d ? text(d) : task.departmentCode}
      </h3>
      <p className="body department__matter">
        {m ? text(m) : task.matterCode}{' '}
        <Tag colour={TASK_COLOUR[task.state] ?? 'blue'}>{due ? t('payments.task.awaiting') : text(task.stateName)}</Tag>
        {due && (
          <>
            {' '}
            <Link href={payHref(due)}>
              {t('payments.task.pay')}
              <span className="visually-hidden">
                {t('payments.case.payHidden', { matter: m ? text(m) : task.matterCode })}
              </span>
            </Link>
          </>
        )}
      </p>
      {task.dueOn && !task.finishedAt && (
        <p className="body secondary-text">
          {task.paused ? t('journey.case.paused') : t('journey.case.due', { date: date(task.dueOn) })}
        </p>
      )}
      <Steps steps={steps} at={at} />
    </section>
  );
}

function Steps({ steps, at, label }: { steps: TimelineStep[]; at: (iso: string | null) => string; label?: string }) {
  const { t, text } = useI18n();
  if (steps.length === 0) return <p className="body secondary-text">{t('journey.case.noSteps')}</p>;
  return (
    <ol className="timeline" aria-label={label}>
      {steps.map((s) => (
        <li className="timeline__step" key={s.seq}>
          <span className="timeline__action">{text(s.actionName)}</span>{' '}
          <time className="timeline__time secondary-text" dateTime={s.at ?? undefined}>
            {at(s.at)}
          </time>
          {s.reason && <p className="body timeline__reason">{t('journey.case.reason', { reason: s.reason })}</p>}
        </li>
      ))}
    </ol>
  );
}
