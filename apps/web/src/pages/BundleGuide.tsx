import { ButtonLink } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { Tag } from '../components/Tag.tsx';
import { TaskList } from '../components/TaskList.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogPaths, type Bundle, type LifeEvent, type Matter } from '../lib/catalog.ts';
import { usePageTitle } from '../lib/title.ts';
import { useApi, useApiAll } from '../lib/useApi.ts';
import type { PageProps } from '../app/table.tsx';
import { ErrorPage } from './ErrorPage.tsx';
import { DepartmentName, Materials, Version } from './guide.tsx';

/** The matter versions a bundle pins, to read with it. */
export function pinnedMatterPaths(bundle: Bundle): string[] {
  return bundle.items.map((item) => catalogPaths.matter(item.matterCode, bundle.matterVersions[item.matterCode]));
}

/** Every material the bundle's matters ask for, once; required if any matter requires it. */
export function mergedMaterials(matters: Matter[]): Matter['materials'] {
  const byCode = new Map<string, Matter['materials'][number]>();
  for (const m of matters.flatMap((x) => x.materials)) {
    const seen = byCode.get(m.code);
    byCode.set(m.code, seen ? { ...seen, required: seen.required || m.required } : m);
  }
  return [...byCode.values()].sort((a, b) => Number(b.required) - Number(a.required));
}

/** 一件事 guide: one application for several matters, handled in order by their departments. */
export default function BundleGuide({ params }: PageProps) {
  const code = params['code'] ?? '';
  const bundle = useApi<Bundle>(catalogPaths.bundle(code));
  const matters = useApiAll<Matter>(bundle.state === 'ok' ? pinnedMatterPaths(bundle.data) : null);
  if (bundle.state === 'error') return <ErrorPage problem={bundle.problem} />;
  if (matters.state === 'error') return <ErrorPage problem={matters.problem} />;
  if (bundle.state === 'loading' || matters.state === 'loading') return <Loading />;
  return <Guide bundle={bundle.data} matters={matters.data} />;
}

function Guide({ bundle, matters }: { bundle: Bundle; matters: Matter[] }) {
  const { t, n, text } = useI18n();
  const events = useApi<LifeEvent[]>(catalogPaths.lifeEvents());
  const name = text(bundle.name);
  usePageTitle(name);
  const byCode = new Map(matters.map((m) => [m.code, m]));
  const nameOf = (code: string) => {
    const m = byCode.get(code);
    return m ? text(m.name) : code;
  };
  const departments = [...new Set(matters.map((m) => m.departmentCode))];
  const lifeEvent = events.state === 'ok' ? events.data.find((e) => e.code === bundle.lifeEvent) : undefined;

  return (
    <>
      <span className="caption">{t('guide.caption.bundle')}</span>
      <h1 className="heading-l">{name}</h1>
      <p className="lead">{text(bundle.description)}</p>
      <h2 className="heading-m">{t('guide.overview')}</h2>
      <SummaryList
        rows={[
          { key: t('guide.lifeEvent'), value: lifeEvent ? text(lifeEvent.name) : bundle.lifeEvent },
          { key: t('guide.promisedDays'), value: n('guide.days', bundle.promisedDays) },
          {
            key: t('guide.departments'),
            value: (
              <ul className="list">
                {departments.map((d) => (
                  <li key={d}>
                    <DepartmentName code={d} />
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
      <h2 className="heading-m">{t('guide.bundle.matters')}</h2>
      <p className="body">{t('guide.bundle.mattersHint')}</p>
      <TaskList
        tasks={bundle.items.map((item, i) => {
          const matter = byCode.get(item.matterCode);
          return {
            id: `matter-${i + 1}`,
            title: nameOf(item.matterCode),
            href: `/matters/${encodeURIComponent(item.matterCode)}`,
            ...(matter ? { hint: <DepartmentName code={matter.departmentCode} /> } : {}),
            status:
              item.dependsOn.length === 0 ? (
                <Tag colour="green">{t('guide.bundle.first')}</Tag>
              ) : (
                <Tag colour="grey">
                  {t('guide.bundle.dependsOn', { names: item.dependsOn.map(nameOf).join(t('list.separator')) })}
                </Tag>
              ),
          };
        })}
      />
      <h2 className="heading-m">{t('guide.materials')}</h2>
      <Materials materials={mergedMaterials(matters)} />
      <ButtonLink href={`/apply/${encodeURIComponent(bundle.code)}`} start>
        {t('guide.start')}
      </ButtonLink>
      <Version version={bundle.version} publishedAt={bundle.publishedAt} />
    </>
  );
}
