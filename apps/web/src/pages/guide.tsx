// Pieces the matter and bundle guides share.
import type { ReactNode } from 'react';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { Department, Matter } from '../lib/catalog.ts';
import { catalogPaths } from '../lib/catalog.ts';
import { useApi } from '../lib/useApi.ts';

export function Materials({ materials }: { materials: Matter['materials'] }) {
  const { t, text } = useI18n();
  if (materials.length === 0) return <p className="body">{t('guide.materials.none')}</p>;
  return (
    <ul className="list list--materials">
      {materials.map((m) => (
        <li key={m.code} className="material">
          <span className="material__name">{text(m.name)}</span>{' '}
          <Tag colour={m.required ? 'blue' : 'grey'}>
            {t(m.required ? 'guide.material.required' : 'guide.material.optional')}
          </Tag>
        </li>
      ))}
    </ul>
  );
}

export function Fees({ fees }: { fees: Matter['fees'] }): ReactNode {
  const { t, text, money } = useI18n();
  if (fees.length === 0) return t('guide.fees.none');
  return (
    <ul className="list">
      {fees.map((f) => (
        <li key={f.code}>{t('guide.fee', { name: text(f.name), amount: money(f.amountFen) })}</li>
      ))}
    </ul>
  );
}

/** A department's name; its code until the name has been read (or if it cannot be). */
export function DepartmentName({ code }: { code: string }) {
  const { text } = useI18n();
  const department = useApi<Department>(catalogPaths.department(code));
  return <>{department.state === 'ok' ? text(department.data.name) : code}</>;
}

export function Version({ version, publishedAt }: { version: number; publishedAt: string }) {
  const { t, date } = useI18n();
  return <p className="body secondary-text">{t('guide.version', { version, date: date(publishedAt) })}</p>;
}
