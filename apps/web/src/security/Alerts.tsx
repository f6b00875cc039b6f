// The alert queue (GET sentinel/alerts?status=…&cursor=…): newest first, by status, a page at a
// time; each alert links to its triage page. The export link downloads what a SIEM would import.
import type { AlertPage, AlertStatus } from '@tongban/contracts';
import { ALERT_STATUSES } from '@tongban/contracts';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { useLocation } from '../lib/router.tsx';
import { usePageTitle } from '../lib/title.ts';
import { ProblemNote } from '../console/bits.tsx';
import { enc, useFresh } from '../console/data.ts';
import { SeverityTag, StatusTag, useSecurityWords } from './words.tsx';

export function Alerts() {
  const { t, text } = useI18n();
  usePageTitle(t('security.alerts.title'));
  const { search } = useLocation();
  const query = new URLSearchParams(search);
  const asked = query.get('status');
  const status: AlertStatus = (ALERT_STATUSES as readonly string[]).includes(asked ?? '')
    ? (asked as AlertStatus)
    : 'open';
  const cursor = query.get('cursor');
  const page = useFresh<AlertPage>(`sentinel/alerts?status=${status}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
  const words = useSecurityWords();

  return (
    <>
      <h1 className="heading-l">{t('security.alerts.title')}</h1>
      <p className="body">{t('security.alerts.lead')}</p>
      <nav aria-label={t('security.alerts.filter')}>
        <ul className="list sec-filters">
          {ALERT_STATUSES.map((s) => (
            <li key={s}>
              <Link href={`/security?status=${s}`} aria-current={s === status ? 'page' : undefined}>
                {t(`security.status.${s}` as MessageKey)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {page.state === 'loading' ? (
        <Loading />
      ) : page.state === 'error' ? (
        <ProblemNote problem={page.problem} />
      ) : page.data.items.length === 0 ? (
        <p className="body">{t('security.alerts.empty')}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">
                {t('security.alerts.caption')}: {t(`security.status.${status}` as MessageKey)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('security.col.severity')}</th>
                  <th scope="col">{t('security.col.alert')}</th>
                  <th scope="col">{t('security.col.subject')}</th>
                  <th scope="col">{t('security.col.raised')}</th>
                  <th scope="col">{t('security.col.status')}</th>
                  <th scope="col">{t('security.col.assignee')}</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <SeverityTag severity={a.severity} />
                    </td>
                    <th scope="row">
                      <Link href={`/security/alerts/${enc(a.id)}`}>{text(a.title)}</Link>
                    </th>
                    <td className="break-anywhere">{words.subject(a.subject)}</td>
                    <td>{words.when(a.raisedAt)}</td>
                    <td>
                      <StatusTag status={a.status} />
                    </td>
                    <td>{a.assignee ?? t('security.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.data.next && (
            <p className="body">
              <Link href={`/security?status=${status}&cursor=${enc(page.data.next)}`}>
                {t('security.alerts.older')}
              </Link>
            </p>
          )}
        </>
      )}
      <p className="body">
        <a href="/portal/api/sentinel/alerts/export" download="alerts.jsonl">
          {t('security.alerts.export')}
        </a>
      </p>
    </>
  );
}
