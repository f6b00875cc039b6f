import { Link } from '../components/Link.tsx';
import { PhaseBanner } from '../components/PhaseBanner.tsx';
import { useI18n } from '../i18n/context.tsx';
import { otherLocale } from '../i18n/messages.ts';
import { useElder } from '../lib/elder.tsx';
import { loginUrl } from '../lib/problem.ts';
import { useLocation } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { canSpeak, ReadAloud } from './ReadAloud.tsx';

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
                {session.user.kind !== 'officer' && session.user.kind !== 'operator' && (
                  <>
                    <li>
                      <Link href="/applications" className="header__control">
                        {t('journey.nav.applications')}
                      </Link>
                    </li>
                    <li>
                      <Link href="/account" className="header__control">
                        {t('journey.nav.account')}
                      </Link>
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
