// The published matters or bundles as a table: each one's name opening its draft, code and version
// (and, for matters, its department).
import { Link } from '../components/Link.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { SearchResult } from '../lib/catalog.ts';
import { enc } from './data.ts';

export function CatalogTable({
  caption,
  kind,
  items,
  department,
}: {
  caption: string;
  kind: 'matters' | 'bundles';
  items: SearchResult['items'];
  /** A department's name, for a column of them. */
  department?: (code: string) => string;
}) {
  const { t, text, number } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('console.matters.name')}</th>
            <th scope="col">{t('console.matters.code')}</th>
            {department && <th scope="col">{t('console.matters.department')}</th>}
            <th scope="col" className="table__numeric">
              {t('console.matters.version')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.code}>
              <th scope="row">
                <Link href={`/console/${kind}/${enc(item.code)}`}>{text(item.name)}</Link>
              </th>
              <td>{item.code}</td>
              {department && <td>{item.departmentCode ? department(item.departmentCode) : ''}</td>}
              <td className="table__numeric">{number(item.version)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
