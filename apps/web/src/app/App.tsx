import { I18nProvider, useI18n } from '../i18n/context.tsx';
import type { Locale } from '../i18n/messages.ts';
import { ElderProvider } from '../lib/elder.tsx';
import { RouterProvider } from '../lib/router.tsx';
import { SessionProvider } from '../lib/session.tsx';
import { Footer } from './Footer.tsx';
import { Header } from './Header.tsx';
import { Routes } from './Routes.tsx';

export function App({ locale, elder }: { locale: Locale; elder: boolean }) {
  return (
    <I18nProvider initial={locale}>
      <ElderProvider initial={elder}>
        <RouterProvider>
          <SessionProvider>
            <Shell />
          </SessionProvider>
        </RouterProvider>
      </ElderProvider>
    </I18nProvider>
  );
}

function Shell() {
  const { t } = useI18n();
  return (
    <>
      <a href="#main-content" className="skip-link">
        {t('skipLink')}
      </a>
      <Header />
      <div className="width-container">
        <main className="main" id="main-content" tabIndex={-1}>
          <Routes />
        </main>
      </div>
      <Footer />
    </>
  );
}
