import './messages.ts';
import type { MessageView } from '@tongban/contracts';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import { journeyPaths } from '../journey/model.ts';
import { dateTime } from '../journey/time.ts';
import { usePageTitle } from '../lib/title.ts';
import { useFresh } from '../lib/useApi.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { channelKey, kindKey, reasonText, STATUS_COLOUR } from './words.ts';
import '../journey/journey.css';
import './notify.css';

/** /messages: 发送记录 — each message on each channel with its delivery status (queued, sent, delivered, failed). */
export default function Messages() {
  const { t, locale } = useI18n();
  const title = t('notify.messages.title');
  usePageTitle(title);
  const list = useFresh<MessageView[]>('notify/me/messages'); // signed out: sent to sign in, and back
  if (list.state === 'error') return <ErrorPage problem={list.problem} />;
  const at = (iso: string) => dateTime(locale, iso);
  return (
    <>
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('notify.messages.lead')}</p>
      <p className="body">
        <Link href="/settings/notifications">{t('notify.messages.settings')}</Link>
      </p>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p className="body">{t('notify.messages.none')}</p>
      ) : (
        // Scrolls sideways on a narrow screen: focusable and named, so a keyboard can scroll it too.
        <div className="table-wrap" role="region" aria-labelledby="messages-caption" tabIndex={0}>
          <table className="table">
            <caption id="messages-caption" className="visually-hidden">
              {t('notify.messages.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('notify.col.time')}</th>
                <th scope="col">{t('notify.col.kind')}</th>
                <th scope="col">{t('notify.col.channel')}</th>
                <th scope="col">{t('notify.col.to')}</th>
                <th scope="col">{t('notify.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((m) => {
                const kind = kindKey(m.kind);
                const channel = channelKey(m.channel);
                return (
                  <tr key={m.id}>
                    <td>
                      <time dateTime={m.createdAt}>{at(m.createdAt)}</time>
                    </td>
                    <th scope="row">
                      {kind ? t(kind) : m.kind}
                      <p className="body secondary-text message-text">{m.text}</p>
                      {m.applicationId && (
                        <Link href={journeyPaths.application(m.applicationId)}>{t('notify.messages.open')}</Link>
                      )}
                    </th>
                    <td>{channel ? t(channel) : m.channel}</td>
                    <td>{m.to}</td>
                    <td>
                      <Tag colour={STATUS_COLOUR[m.status]}>{t(`notify.status.${m.status}`)}</Tag>
                      {m.status === 'queued' && m.notBefore && (
                        <p className="body secondary-text">
                          {t('notify.messages.heldUntil', { time: at(m.notBefore) })}
                        </p>
                      )}
                      {m.lastError && m.status !== 'delivered' && m.status !== 'sent' && (
                        <p className="body secondary-text">
                          {t('notify.messages.reason', { reason: reasonText(locale, m.lastError) })}
                        </p>
                      )}
                      {m.attempts > 1 && (
                        <p className="body secondary-text">{t('notify.messages.attempts', { count: m.attempts })}</p>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
