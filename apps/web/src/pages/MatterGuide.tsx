import { ButtonLink } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogPaths, type Matter } from '../lib/catalog.ts';
import { usePageTitle } from '../lib/title.ts';
import { useApi } from '../lib/useApi.ts';
import type { PageProps } from '../app/table.tsx';
import { ErrorPage } from './ErrorPage.tsx';
import { DepartmentName, Fees, Materials, Version } from './guide.tsx';
import type { MatterDurationView } from '@tongban/contracts';

/** 办事指南 of one matter: what it is, who decides, how long, what it costs, what to bring. */
export default function MatterGuide({ params }: PageProps) {
  const code = params['code'] ?? '';
  const matter = useApi<Matter>(catalogPaths.matter(code));
  if (matter.state === 'loading') return <Loading />;
  if (matter.state === 'error') return <ErrorPage problem={matter.problem} />;
  return <Guide matter={matter.data} />;
}

function Guide({ matter }: { matter: Matter }) {
  const { t, n, text } = useI18n();
  const name = text(matter.name);
  usePageTitle(name);
  return (
    <>
      <span className="caption">{t('guide.caption.matter')}</span>
      <h1 className="heading-l">{name}</h1>
      <p className="lead">{text(matter.description)}</p>
      <h2 className="heading-m">{t('guide.overview')}</h2>
      <SummaryList
        rows={[
          { key: t('guide.department'), value: <DepartmentName code={matter.departmentCode} /> },
          { key: t('guide.legalDays'), value: n('guide.days', matter.legalDays) },
          { key: t('guide.promisedDays'), value: n('guide.days', matter.promisedDays) },
          { key: t('guide.taken'), value: <Taken code={matter.code} /> },
          { key: t('guide.fees'), value: <Fees fees={matter.fees} /> },
          ...(matter.producesLicence ? [{ key: t('guide.licence'), value: text(matter.producesLicence.name) }] : []),
        ]}
      />
      <h2 className="heading-m">{t('guide.materials')}</h2>
      <Materials materials={matter.materials} />
      <ButtonLink href={`/apply/${encodeURIComponent(matter.code)}`} start>
        {t('guide.start')}
      </ButtonLink>
      <Version version={matter.version} publishedAt={matter.publishedAt} />
    </>
  );
}

/** How long it has actually taken recently (the workflow's figures; none over too few decisions). */
function Taken({ code }: { code: string }) {
  const { t, n, number } = useI18n();
  const taken = useApi<MatterDurationView>(`workflow/stats/matters/${encodeURIComponent(code)}`);
  if (taken.state === 'loading') return <>{t('loading')}</>;
  if (taken.state === 'error') return <>{t('guide.taken.unavailable')}</>;
  const { count, medianDays, p90Days, windowDays } = taken.data;
  if (count === null || medianDays === null || p90Days === null)
    return <>{t('guide.taken.tooFew', { days: number(windowDays) })}</>;
  return (
    <>
      {n('guide.taken.median', medianDays, { days: number(windowDays) })}
      <br />
      {n('guide.taken.p90', p90Days)}
      <br />
      <span className="secondary-text">{n('guide.taken.count', count)}</span>
    </>
  );
}
