import { useI18n } from '../i18n/context.tsx';

/** Loading, said in words (role=status announces it) rather than a spinner. */
export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('loading')}
    </p>
  );
}
