import type { ResponseView } from '@tongban/contracts';
import { useI18n } from '../i18n/context.tsx';
import { useSecurityWords } from './words.tsx';

/** Responses as a table: what, on whom, in force or not, until when, and identity's part done or not. */
export function ResponseTable({ responses, caption }: { responses: ResponseView[]; caption: string }) {
  const { t } = useI18n();
  const words = useSecurityWords();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('security.col.action')}</th>
            <th scope="col">{t('security.col.target')}</th>
            <th scope="col">{t('security.col.state')}</th>
            <th scope="col">{t('security.col.until')}</th>
            <th scope="col">{t('security.col.delivery')}</th>
            <th scope="col">{t('security.col.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {responses.map((r) => (
            <tr key={r.id}>
              <th scope="row">{words.action(r.action)}</th>
              <td className="break-anywhere">{words.target(r.target)}</td>
              <td>{words.state(r)}</td>
              <td>{words.until(r)}</td>
              <td>{words.delivery(r)}</td>
              <td>{r.lifted ? r.lifted.reason : (r.reason ?? '—')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
