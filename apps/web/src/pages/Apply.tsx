import { BackLink } from '../components/BackLink.tsx';
import { ButtonLink } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { LocalizedText } from '../i18n/messages.ts';
import { catalogPaths, type Bundle, type Matter } from '../lib/catalog.ts';
import { loginUrl } from '../lib/problem.ts';
import { useLocation } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useApi, useApiAll } from '../lib/useApi.ts';
import type { PageProps } from '../app/table.tsx';
import { mergedMaterials, pinnedMatterPaths } from './BundleGuide.tsx';
import { ErrorPage } from './ErrorPage.tsx';
import { Materials } from './guide.tsx';

interface Service {
  guide: string;
  name: LocalizedText;
  promisedDays: number;
  materials: Matter['materials'];
}

/**
 * /apply/<code>, a bundle's or a matter's: the online application is still to come, so this page
 * says what it needs (signing in), and what will happen, from the catalog — and no form yet.
 */
export default function Apply({ params }: PageProps) {
  const code = params['code'] ?? '';
  // Bundle and matter codes share the address: a bundle first, a matter when there is none.
  const bundle = useApi<Bundle>(catalogPaths.bundle(code));
  const notBundle = bundle.state === 'error' && bundle.problem.code === 'CATALOG_BUNDLE_NOT_FOUND';
  const matter = useApi<Matter>(notBundle ? catalogPaths.matter(code) : null);
  const matters = useApiAll<Matter>(bundle.state === 'ok' ? pinnedMatterPaths(bundle.data) : null);

  if (bundle.state === 'error' && !notBundle) return <ErrorPage problem={bundle.problem} />;
  if (notBundle) {
    if (matter.state === 'loading') return <Loading />;
    if (matter.state === 'error') return <ErrorPage problem={matter.problem} />;
    const m = matter.data;
    return (
      <Start
        service={{
          guide: `/matters/${encodeURIComponent(m.code)}`,
          name: m.name,
          promisedDays: m.promisedDays,
          materials: m.materials,
        }}
      />
    );
  }
  if (matters.state === 'error') return <ErrorPage problem={matters.problem} />;
  if (bundle.state !== 'ok' || matters.state === 'loading') return <Loading />;
  const b = bundle.data;
  return (
    <Start
      service={{
        guide: `/bundles/${encodeURIComponent(b.code)}`,
        name: b.name,
        promisedDays: b.promisedDays,
        materials: mergedMaterials(matters.data),
      }}
    />
  );
}

function Start({ service }: { service: Service }) {
  const { t, n, text } = useI18n();
  const { session } = useSession();
  const { pathname } = useLocation();
  const title = t('apply.title', { name: text(service.name) });
  usePageTitle(title);
  return (
    <>
      <BackLink href={service.guide}>{t('apply.backToGuide')}</BackLink>
      <h1 className="heading-l">{title}</h1>
      {session.state === 'unknown' && <Loading />}
      {session.state === 'signedOut' && (
        <section aria-labelledby="sign-in-heading">
          <h2 className="heading-m" id="sign-in-heading">
            {t('apply.signIn.heading')}
          </h2>
          <p className="body">{t('apply.signIn.body')}</p>
          <ButtonLink href={loginUrl(pathname)}>{t('apply.signIn.button')}</ButtonLink>
        </section>
      )}
      {session.state === 'signedIn' && (
        <NotificationBanner title={t('apply.unavailable.title')}>
          <p className="notification-banner__heading">{t('apply.unavailable.body')}</p>
        </NotificationBanner>
      )}
      <h2 className="heading-m">{t('apply.next.heading')}</h2>
      <p className="body">{t('apply.next.materials')}</p>
      <Materials materials={service.materials} />
      <p className="body">{t('apply.next.promised', { days: n('guide.days', service.promisedDays) })}</p>
    </>
  );
}
