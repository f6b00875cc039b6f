import type { ApplicationSummaryView, NoticeView } from '@tongban/contracts';
import { useEffect, useState } from 'react';
import { ButtonLink } from '../components/Button.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogPaths, guideHref, type LifeEvent, type SearchResult } from '../lib/catalog.ts';
import { api } from '../lib/api.ts';
import { loginUrl } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useApi } from '../lib/useApi.ts';
import { ErrorPage } from './ErrorPage.tsx';
import { SearchForm } from './SearchForm.tsx';

const BUNDLES = catalogPaths.search(new URLSearchParams({ kind: 'bundle', limit: '50' }));

/** 首页: search, the life events with their bundles (一件事), and what a signed-in person can do. */
export function Home() {
  const { t } = useI18n();
  usePageTitle(t('home.title'));
  return (
    <>
      <h1 className="heading-xl">{t('home.heading')}</h1>
      <p className="lead">{t('home.lead')}</p>
      <SearchForm label={t('home.search.label')} hint={t('home.search.hint')} button={t('home.search.button')} />
      <Attention />
      <LifeEvents />
    </>
  );
}

function Attention() {
  const { t } = useI18n();
  const { session } = useSession();
  if (session.state === 'unknown') return null;
  if (session.state === 'signedIn')
    return (
      <section className="inset" aria-labelledby="attention-heading">
        <h2 className="heading-m" id="attention-heading">
          {t('home.signedIn.heading', { name: session.user.name })}
        </h2>
        <p className="body">{t('home.signedIn.body')}</p>
        <NeedsAttention />
      </section>
    );
  return (
    <section className="inset" aria-labelledby="attention-heading">
      <h2 className="heading-m" id="attention-heading">
        {t('home.signIn.heading')}
      </h2>
      <p className="body">{t('home.signIn.body')}</p>
      <ButtonLink href={loginUrl('/')} variant="secondary">
        {t('home.signIn.button')}
      </ButtonLink>
      <p className="body">
        <Link href="/register">{t('home.register')}</Link>
      </p>
    </section>
  );
}

/**
 * "Needs my attention": how many of my applications wait for me (a correction) and how many notices
 * I have not read — two small reads, fresh on every visit, linking to my applications.
 */
function NeedsAttention() {
  const { t, n, locale } = useI18n();
  const [counts, setCounts] = useState<{ needed: number; unread: number }>();
  useEffect(() => {
    const controller = new AbortController();
    const options = { locale, signal: controller.signal };
    Promise.all([
      api<ApplicationSummaryView[]>('workflow/applications?status=in_progress&limit=100', options),
      api<NoticeView[]>('notify/me/notices?unread=true&limit=100', options),
    ]).then(
      ([apps, notices]) =>
        setCounts({ needed: apps.filter((a) => a.needed.length > 0).length, unread: notices.length }),
      () => undefined, // officers and operators have no applications: nothing to say
    );
    return () => controller.abort();
  }, [locale]);
  if (!counts) return null;
  return (
    <p className="body">
      <Link href="/applications">
        {counts.needed > 0 || counts.unread > 0
          ? `${n('journey.home.needed', counts.needed)}${t('journey.listSeparator')}${n('journey.home.unread', counts.unread)}`
          : t('journey.home.nothing')}
      </Link>
    </p>
  );
}

function LifeEvents() {
  const { t, text } = useI18n();
  const events = useApi<LifeEvent[]>(catalogPaths.lifeEvents());
  const bundles = useApi<SearchResult>(BUNDLES);
  if (events.state === 'error') return <ErrorPage problem={events.problem} />;
  if (events.state === 'loading') return <Loading />;
  const byEvent = (code: string) =>
    bundles.state === 'ok' ? bundles.data.items.filter((b) => b.lifeEvents.includes(code)) : [];
  return (
    <section aria-labelledby="life-events-heading">
      <h2 className="heading-l" id="life-events-heading">
        {t('home.lifeEvents.heading')}
      </h2>
      <ul className="card-grid">
        {events.data.map((event) => {
          const name = text(event.name);
          const own = byEvent(event.code);
          return (
            <li className="card" key={event.code}>
              <h3 className="heading-s">{name}</h3>
              {own.length > 0 && (
                <ul className="list">
                  {own.map((b) => (
                    <li key={b.code}>
                      <Link href={guideHref(b)}>{text(b.name)}</Link>
                    </li>
                  ))}
                </ul>
              )}
              <p className="body card__more">
                <Link href={`/search?${new URLSearchParams({ lifeEvent: event.code }).toString()}`}>
                  {t('home.lifeEvents.all', { name })}
                </Link>
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
