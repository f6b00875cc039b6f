import { useEffect } from 'react';
import { useI18n } from '../i18n/context.tsx';

/** The page's <title>: "<page> - 通办", as GOV.UK titles pages (the first thing a screen reader says). */
export function usePageTitle(title: string | undefined, error = false): void {
  const { t } = useI18n();
  useEffect(() => {
    if (!title) return;
    document.title = `${error ? t('error.prefix') : ''}${title} - ${t('service.name')}`;
  }, [title, error, t]);
}
