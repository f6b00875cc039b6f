import { Link } from '../components/Link.tsx';
import { useI18n } from '../i18n/context.tsx';

export function Footer() {
  const { t } = useI18n();
  return (
    <footer className="footer">
      <div className="width-container">
        <p>
          <Link href="/verify">{t('footer.verify')}</Link>
        </p>
        <p>{t('footer.about')}</p>
        <p>{t('footer.license')}</p>
      </div>
    </footer>
  );
}
