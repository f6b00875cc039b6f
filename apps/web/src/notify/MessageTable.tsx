// 发送记录 as a table: each message on each channel with its delivery status, the text as sent, when
// it is held until and why the last attempt failed. The citizen's /messages and the operator's
// /console/messages show the same rows.
import type { MessageView } from '@tongban/contracts';
import { Link } from '../components/Link.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import { journeyPaths } from '../journey/model.ts';
import { dateTime } from '../journey/time.ts';
import { channelKey, kindKey, reasonText, STATUS_COLOUR } from './words.ts';

export function MessageTable({ messages, linkCases }: { messages: readonly MessageView[]; linkCases: boolean }) {
  const { t, locale } = useI18n();
  const at = (iso: string) => dateTime(locale, iso);
  return (
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
          {messages.map((m) => {
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
                  {linkCases && m.applicationId && (
                    <Link href={journeyPaths.application(m.applicationId)}>{t('notify.messages.open')}</Link>
                  )}
                </th>
                <td>{channel ? t(channel) : m.channel}</td>
                <td>{m.to}</td>
                <td>
                  <Tag colour={STATUS_COLOUR[m.status]}>{t(`notify.status.${m.status}`)}</Tag>
                  {m.status === 'queued' && m.notBefore && (
                    <p className="body secondary-text">{t('notify.messages.heldUntil', { time: at(m.notBefore) })}</p>
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
  );
}
