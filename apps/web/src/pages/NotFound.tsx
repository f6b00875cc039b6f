import { Link } from '../components/Link.tsx';
import { useI18n } from '../i18n/context.tsx';
import { usePageTitle } from '../lib/title.ts';

/** No such page; `message` says what was missing when the API told us (a matter or bundle code). */
export function NotFound({ message }: { message?: string }) {
  const { t } = useI18n();
  usePageTitle(t('notFound.title'));
  return (
    <>
      <h1 className="heading-l">{t('notFound.title')}</h1>
      {message ? (
        <p className="body">{message}</p>
      ) : (
        <>
          <p className="body">{t('notFound.typed')}</p>
          <p className="body">{t('notFound.pasted')}</p>
        </>
      )}
      <p className="body">
        <Link href="/">{t('notFound.home')}</Link>
      </p>
    </>
  );
}
