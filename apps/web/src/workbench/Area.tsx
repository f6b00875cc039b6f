// The officer workbench (/workbench/*): its own lazy chunk, routing the rest of
// the path (params['*']) itself, so none of its code weighs on the portal's initial JavaScript.
import type { PageProps } from '../app/table.tsx';
import { useI18n } from '../i18n/context.tsx';
import { usePageTitle } from '../lib/title.ts';

export default function Area(_: PageProps) {
  const { t } = useI18n();
  usePageTitle(t('workbench.title'));
  return <h1 className="heading-l">{t('workbench.title')}</h1>;
}
