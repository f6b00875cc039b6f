import { Link } from '../components/Link.tsx';
import { PhaseBanner } from '../components/PhaseBanner.tsx';
import { useI18n } from '../i18n/context.tsx';
import { otherLocale } from '../i18n/messages.ts';
import { useElder } from '../lib/elder.tsx';
import { loginUrl } from '../lib/problem.ts';
import { useLocation, useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { canSpeak, ReadAloud } from './ReadAloud.tsx';
import type { MouseEvent, ReactNode } from 'react';

/** A header control that goes to a page of the app without a page load (the Link component's colours are for body text). */
function HeaderLink({ href, children }: { href: string; children: ReactNode }) {
  const { navigate } = useRouter();
  const { pathname } = useLocation();
  const go = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a className="header__control" href={href} onClick={go} aria-current={pathname === href ? 'page' : undefined}>
      {children}
    </a>
  );
}

export function Header() {
  const { t, locale, setLocale } = useI18n();
  const { elder, setElder } = useElder();
  const { session, signOut } = useSession();
  const { pathname, search } = useLocation();
  const other = otherLocale(locale);

  return (
    <header className="header">
      <div className="header__container width-container">
        <div className="header__logo">
          <Link href="/" className="header__service">
            {t('service.name')}
          </Link>
          <span className="header__tagline">{t('service.tagline')}</span>
        </div>
        <nav className="header__controls" aria-label={t('header.nav.label')}>
          <ul className="header__list">
            <li>
              <button type="button" className="header__control" lang={other} onClick={() => setLocale(other)}>
                {t('header.language.switch')}
              </button>
            </li>
            <li>
              <button type="button" className="header__control" onClick={() => setElder(!elder)}>
                {t(elder ? 'header.elder.off' : 'header.elder.on')}
              </button>
            </li>
            {elder && canSpeak && (
              <li>
                <ReadAloud />
              </li>
            )}
            {session.state === 'signedIn' && (
              <>
                <li className="header__user">{t('header.signedInAs', { name: session.user.name })}</li>
                {(session.user.kind === 'citizen' || session.user.kind === 'business') && (
                  <>
                    <li>
                      <HeaderLink href="/applications">{t('journey.nav.applications')}</HeaderLink>
                    </li>
                    <li>
                      <HeaderLink href="/payments">{t('header.payments')}</HeaderLink>
                    </li>
                    <li>
                      <HeaderLink href="/licences">{t('header.licences')}</HeaderLink>
                    </li>
                    <li>
                      <HeaderLink href="/account">{t('journey.nav.account')}</HeaderLink>
                    </li>
                  </>
                )}
                <li>
                  <button type="button" className="header__control" onClick={() => void signOut()}>
                    {t('header.signOut')}
                  </button>
                </li>
              </>
            )}
            {session.state === 'signedOut' && (
              <li>
                <a className="header__control" href={loginUrl(pathname + search)}>
                  {t('header.signIn')}
                </a>
              </li>
            )}
          </ul>
        </nav>
      </div>
      <div className="width-container">
        <PhaseBanner tag={t('phase.tag')}>{t('phase.text')}</PhaseBanner>
      </div>
    </header>
  );
}
