import { useEffect, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { useFresh } from './data.ts';
import { journeyPaths, type Notice } from './model.ts';

/** My notices (站内信), newest first, each marked read with its own button. */
export function Notices({ live = 0 }: { live?: number }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const notices = useFresh<Notice[]>('notify/me/notices?limit=50');
  const [problem, setProblem] = useState<Problem>();
  const { reload } = notices;
  useEffect(() => {
    if (live > 0) reload();
  }, [live, reload]);
  const [status, setStatus] = useState('');
  const read = async (id: string) => {
    if (session.state !== 'signedIn') return;
    try {
      await api(`notify/me/notices/${encodeURIComponent(id)}/read`, { locale, method: 'POST', csrf: session.csrf });
      setStatus(t('journey.notices.marked'));
      notices.reload();
    } catch (error) {
      setProblem(problemFrom(error));
    }
  };
  return (
    <section aria-labelledby="notices-heading">
      <h2 className="heading-m" id="notices-heading">
        {t('journey.notices.title')}
      </h2>
      <ul className="list">
        <li>
          <Link href="/settings/notifications">{t('journey.notices.settings')}</Link>
        </li>
        <li>
          <Link href="/messages">{t('journey.notices.sent')}</Link>
        </li>
      </ul>
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {problem && <p className="error-message">{t(problemMessageKey(problem.code))}</p>}
      {notices.state === 'loading' && <Loading />}
      {notices.state === 'error' && <p className="body">{t(problemMessageKey(notices.problem.code))}</p>}
      {notices.state === 'ok' && notices.data.length === 0 && <p className="body">{t('journey.notices.none')}</p>}
      {notices.state === 'ok' && notices.data.length > 0 && (
        <ul className="notice-list">
          {notices.data.map((n) => (
            <li className={n.read ? 'notice-list__item' : 'notice-list__item notice-list__item--unread'} key={n.id}>
              {!n.read && <Tag colour="blue">{t('journey.notices.unread')}</Tag>} <span className="body">{n.text}</span>{' '}
              <Link href={journeyPaths.application(n.applicationId)}>{t('journey.notices.open')}</Link>
              {!n.read && (
                <Button variant="secondary" className="button--small" onClick={() => void read(n.id)}>
                  {t('journey.notices.markRead')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
