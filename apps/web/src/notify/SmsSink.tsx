// 短信沙箱 (/console/sms-sink): the development SMS sink — every text message the platform sent,
// newest first, read again every few seconds (with a pause: WCAG 2.2.2). Production has no sink
// (the route answers 404): the page says so instead of failing.
import type { DevSmsView } from '@tongban/contracts';
import { useEffect, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { useI18n } from '../i18n/context.tsx';
import { dateTime } from '../journey/time.ts';
import { usePageTitle } from '../lib/title.ts';
import { ProblemNote } from '../console/bits.tsx';
import { useFresh } from '../console/data.ts';
import { newestFirst } from './words.ts';
import './notify.css';

const REFRESH_SECONDS = 3;

export function SmsSink() {
  const { t, locale } = useI18n();
  usePageTitle(t('notify.sms.title'));
  const list = useFresh<DevSmsView[]>('notify/dev/sms');
  const [paused, setPaused] = useState(false);
  const { reload } = list;
  const absent = list.state === 'error' && list.problem.status === 404;
  const answer = list.state === 'ok' ? list.data : undefined;

  // One timer per answer: the next read starts a few seconds after the last one came back.
  useEffect(() => {
    if (paused || absent) return;
    const timer = setTimeout(reload, REFRESH_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [paused, absent, answer, reload]);

  if (absent)
    return (
      <>
        <h1 className="heading-l">{t('notify.sms.unavailableTitle')}</h1>
        <p className="body">{t('notify.sms.unavailable')}</p>
      </>
    );
  return (
    <>
      <h1 className="heading-l">{t('notify.sms.title')}</h1>
      <p className="body">{t('notify.sms.lead')}</p>
      <div className="button-group">
        <p className="body secondary-text">
          {paused ? t('notify.sms.paused') : t('notify.sms.auto', { seconds: REFRESH_SECONDS })}
        </p>
        <Button variant="secondary" className="button--small" onClick={() => setPaused((p) => !p)}>
          {paused ? t('notify.sms.resume') : t('notify.sms.pause')}
        </Button>
        <Button variant="secondary" className="button--small" onClick={reload}>
          {t('notify.sms.refresh')}
        </Button>
      </div>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ProblemNote problem={list.problem} />
      ) : list.data.length === 0 ? (
        <p className="body">{t('notify.sms.none')}</p>
      ) : (
        <section aria-labelledby="sms-caption">
          <h2 className="heading-m" id="sms-caption">
            {t('notify.sms.caption')}
          </h2>
          <ul className="sms-list">
            {newestFirst(list.data).map((m) => (
              <li className="sms-list__item" key={m.id}>
                <p className="sms-list__meta">
                  <span className="visually-hidden">{t('notify.sms.col.to')} </span>
                  {m.to} ·{' '}
                  <time dateTime={m.at} className="secondary-text">
                    {dateTime(locale, m.at)}
                  </time>
                </p>
                <p className="body sms-list__text">{m.text}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
