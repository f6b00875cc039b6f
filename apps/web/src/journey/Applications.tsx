import '../payments/messages.ts';
import { useState } from 'react';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { Tag, type TagColour } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { catalogPaths, type Bundle, type Matter } from '../lib/catalog.ts';
import { usePageTitle } from '../lib/title.ts';
import { useApiAll } from '../lib/useApi.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { paymentsDue, type PayableNeed } from '../payments/model.ts';
import { useLiveSteps } from './live.ts';
import { useFresh } from './data.ts';
import { journeyPaths, type ApplicationSummary } from './model.ts';
import { Notices } from './Notices.tsx';
import './journey.css';

export const STATUS_TAG: Record<string, { key: MessageKey; colour: TagColour }> = {
  draft: { key: 'journey.appStatus.draft', colour: 'grey' },
  in_progress: { key: 'journey.appStatus.in_progress', colour: 'blue' },
  completed: { key: 'journey.appStatus.completed', colour: 'green' },
  closed: { key: 'journey.appStatus.closed', colour: 'grey' },
  withdrawn: { key: 'journey.appStatus.withdrawn', colour: 'grey' },
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const s = STATUS_TAG[status] ?? { key: 'journey.appStatus.other' as MessageKey, colour: 'grey' as TagColour };
  return <Tag colour={s.colour}>{t(s.key)}</Tag>;
}

/** The subject's name (a bundle's or a matter's, at the version the application pinned). */
export function useSubjectNames(apps: readonly Pick<ApplicationSummary, 'subject'>[]) {
  const paths = [
    ...new Set(
      apps.map((a) =>
        a.subject.kind === 'bundle'
          ? catalogPaths.bundle(a.subject.code)
          : catalogPaths.matter(a.subject.code, a.subject.version),
      ),
    ),
  ].sort();
  const loaded = useApiAll<Bundle | Matter>(paths.length ? paths : null);
  const names = new Map(loaded.state === 'ok' ? loaded.data.map((x) => [x.code, x.name]) : []);
  return (code: string) => names.get(code);
}

/** /applications: my applications and drafts, newest first, and my notices. */
export default function Applications() {
  const { t, text, date } = useI18n();
  const title = t('journey.applications.title');
  usePageTitle(title);
  const apps = useFresh<ApplicationSummary[]>('workflow/applications?limit=100');
  // Live: a step of any of my applications re-reads the list and the notices.
  const [live, setLive] = useState(0);
  useLiveSteps(() => {
    apps.reload();
    setLive((n) => n + 1);
  });
  const nameOf = useSubjectNames(apps.state === 'ok' ? apps.data : []);
  if (apps.state === 'error') return <ErrorPage problem={apps.problem} />;
  return (
    <>
      <h1 className="heading-l">{title}</h1>
      {apps.state === 'loading' ? (
        <Loading />
      ) : apps.data.length === 0 ? (
        <p className="body">{t('journey.applications.none')}</p>
      ) : (
        <ul className="app-list">
          {apps.data.map((a) => {
            const name = nameOf(a.subject.code);
            const href =
              a.status === 'draft' ? journeyPaths.tasks(a.subject.code, a.id) : journeyPaths.application(a.id);
            const toPay = paymentsDue(a.tasks, a.needed as PayableNeed[]).length > 0;
            const needs = (a.needed as PayableNeed[]).some((n) => n.kind !== 'payment');
            return (
              <li className="app-list__item" key={a.id}>
                <h2 className="heading-s app-list__title">
                  <Link href={href}>{name ? text(name) : a.subject.code}</Link>
                </h2>
                <p className="app-list__meta">
                  <StatusTag status={a.status} />
                  {needs && (
                    <>
                      {' '}
                      <Tag colour="red">{t('journey.applications.needsYou')}</Tag>
                    </>
                  )}
                  {toPay && (
                    <>
                      {' '}
                      <Tag colour="yellow">{t('payments.task.awaiting')}</Tag>
                    </>
                  )}
                </p>
                <p className="body secondary-text">
                  {a.caseNumber
                    ? t('journey.applications.case', {
                        number: a.caseNumber,
                        date: a.submittedAt ? date(a.submittedAt) : '',
                      })
                    : t('journey.applications.started', { date: a.createdAt ? date(a.createdAt) : '' })}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      <Notices live={live} />
    </>
  );
}
