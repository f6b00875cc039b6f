import './messages.ts';
import type { MessageView } from '@tongban/contracts';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { useI18n } from '../i18n/context.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useFresh } from '../lib/useApi.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { MessageTable } from './MessageTable.tsx';
import '../journey/journey.css';
import './notify.css';

/** /messages: 发送记录 — each message on each channel with its delivery status (queued, sent, delivered, failed). */
export default function Messages() {
  const { t } = useI18n();
  const title = t('notify.messages.title');
  usePageTitle(title);
  const list = useFresh<MessageView[]>('notify/me/messages'); // signed out: sent to sign in, and back
  if (list.state === 'error') return <ErrorPage problem={list.problem} />;
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
        <MessageTable messages={list.data} linkCases />
      )}
    </>
  );
}
