import '../payments/messages.ts';
import { ButtonLink } from '../components/Button.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { Panel } from '../components/Panel.tsx';
import { useI18n } from '../i18n/context.tsx';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { payHref, paymentsDue, type PayableNeed } from '../payments/model.ts';
import { useFresh } from './data.ts';
import { journeyPaths, type ApplicationView } from './model.ts';
import { useTaskNames } from './names.ts';
import './journey.css';

/** /applications/<id>/submitted: the confirmation — case number, and what each department does next. */
export default function Submitted({ params }: PageProps) {
  const { t, text, date } = useI18n();
  const id = params['id'] ?? '';
  const app = useFresh<ApplicationView>(`workflow/applications/${encodeURIComponent(id)}`);
  const names = useTaskNames(app.state === 'ok' ? app.data.tasks : []);
  usePageTitle(t('journey.submitted.title'));
  if (app.state === 'error') return <ErrorPage problem={app.problem} />;
  if (app.state === 'loading') return <Loading />;
  const a = app.data;
  const dues = paymentsDue(a.tasks, a.needed as PayableNeed[]);
  const byDepartment = new Map<string, typeof a.tasks>();
  for (const task of a.tasks)
    byDepartment.set(task.departmentCode, [...(byDepartment.get(task.departmentCode) ?? []), task]);
  return (
    <>
      <Panel title={t('journey.submitted.title')}>
        {t('journey.submitted.caseNumber')}
        <br />
        <strong className="case-number">{a.caseNumber}</strong>
      </Panel>
      <p className="body">{t('journey.submitted.notice')}</p>
      <h2 className="heading-m">{t('journey.submitted.next')}</h2>
      <p className="body">{t('journey.submitted.nextBody')}</p>
      <ol className="list list--number">
        {[...byDepartment.entries()].map(([dept, tasks]) => {
          const d = names.department(dept);
          return (
            <li key={dept}>
              <strong>{d ? text(d) : dept}</strong>
              <ul className="list list--bullet">
                {tasks.map((task) => {
                  const m = names.matter(task.matterCode);
                  const due = dues.find((d) => d.taskId === task.id);
                  return (
                    <li key={task.id}>
                      {m ? text(m) : task.matterCode}
                      {' — '}
                      {due ? (
                        <>
                          {t('payments.task.awaiting')}{' '}
                          <Link href={payHref(due)}>
                            {t('payments.task.pay')}
                            <span className="visually-hidden">
                              {t('payments.case.payHidden', { matter: m ? text(m) : task.matterCode })}
                            </span>
                          </Link>
                        </>
                      ) : task.dependsOn.length > 0 ? (
                        t('journey.submitted.waits')
                      ) : task.dueOn ? (
                        t('journey.submitted.due', { date: date(task.dueOn) })
                      ) : (
                        text(task.stateName)
                      )}
                    </li>
                  );
                })}
              </ul>
            </li>
          );
        })}
      </ol>
      <ButtonLink href={journeyPaths.application(a.id)}>{t('journey.submitted.follow')}</ButtonLink>
      <p className="body">
        <Link href="/applications">{t('journey.applications.title')}</Link>
      </p>
    </>
  );
}
