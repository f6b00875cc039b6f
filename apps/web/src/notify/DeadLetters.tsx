// 推送失败 (/console/webhooks): webhook deliveries to department systems given up after their
// retries (~24 h), each with its last error, and 重新投递 to push it once more.
import type { WebhookDeadLetterView } from '@tongban/contracts';
import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { useI18n } from '../i18n/context.tsx';
import { dateTime } from '../journey/time.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { usePageTitle } from '../lib/title.ts';
import { ProblemNote } from '../console/bits.tsx';
import { enc, useFresh, useSend } from '../console/data.ts';
import { kindKey } from './words.ts';
import './notify.css';

export function DeadLetters() {
  const { t, locale, number } = useI18n();
  usePageTitle(t('notify.deadLetters.title'));
  const send = useSend();
  const list = useFresh<WebhookDeadLetterView[]>('notify/webhooks/dead-letters');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const at = (iso: string) => dateTime(locale, iso);

  const replay = async (letter: WebhookDeadLetterView) => {
    setBusy(letter.id);
    const r = await send(`notify/webhooks/dead-letters/${enc(letter.id)}/replay`, 'POST');
    setBusy(null);
    if (!r.ok) {
      setNotice(null);
      setError(t(problemMessageKey(r.problem.code, 'console')));
      setRound((n) => n + 1);
      return;
    }
    setError(null);
    setNotice(t('notify.deadLetters.replayDone', { url: letter.url }));
    list.reload();
  };

  return (
    <>
      {error && <ErrorSummary key={round} errors={[{ field: 'dead-letters', text: error }]} />}
      {notice && (
        <NotificationBanner type="success" title={t('notify.template.doneTitle')}>
          <p className="body">{notice}</p>
        </NotificationBanner>
      )}
      <h1 className="heading-l">{t('notify.deadLetters.title')}</h1>
      <p className="body">{t('notify.deadLetters.lead')}</p>
      <div id="dead-letters" tabIndex={-1}>
        {list.state === 'loading' ? (
          <Loading />
        ) : list.state === 'error' ? (
          <ProblemNote problem={list.problem} />
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="dead-letters-caption" tabIndex={0}>
            <table className="table table--wide">
              <caption id="dead-letters-caption">{t('notify.deadLetters.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('notify.deadLetters.col.kind')}</th>
                  <th scope="col">{t('notify.deadLetters.col.url')}</th>
                  <th scope="col" className="table__numeric">
                    {t('notify.deadLetters.col.attempts')}
                  </th>
                  <th scope="col">{t('notify.deadLetters.col.error')}</th>
                  <th scope="col">{t('notify.deadLetters.col.first')}</th>
                  <th scope="col">{t('notify.deadLetters.col.last')}</th>
                  <th scope="col">{t('notify.deadLetters.col.action')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.length === 0 && (
                  <tr>
                    <td colSpan={7}>{t('notify.deadLetters.none')}</td>
                  </tr>
                )}
                {list.data.map((d) => {
                  const kind = kindKey(d.kind);
                  return (
                    <tr key={d.id}>
                      <th scope="row">{kind ? t(kind) : d.kind}</th>
                      <td className="message-text">{d.url}</td>
                      <td className="table__numeric">{number(d.attempts)}</td>
                      <td>
                        <code>{d.lastError}</code>
                      </td>
                      <td>{at(d.firstAttemptAt)}</td>
                      <td>{at(d.lastAttemptAt)}</td>
                      <td>
                        {d.replayedAt && (
                          <p className="body secondary-text">
                            {t('notify.deadLetters.replayed', { time: at(d.replayedAt) })}
                          </p>
                        )}
                        <Button
                          variant="secondary"
                          className="button--small"
                          disabled={busy === d.id}
                          onClick={() => void replay(d)}
                        >
                          {t('notify.deadLetters.replay')}
                          <span className="visually-hidden">
                            {' '}
                            {kind ? t(kind) : d.kind} {d.url}
                          </span>
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
