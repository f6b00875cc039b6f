import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { Radios } from '../components/Choices.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { catalogPaths, guideHref, type Department, type LifeEvent, type SearchResult } from '../lib/catalog.ts';
import { useLocation } from '../lib/router.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useApi } from '../lib/useApi.ts';
import { ErrorPage } from './ErrorPage.tsx';
import { SearchForm } from './SearchForm.tsx';

const KINDS = ['', 'bundle', 'matter'] as const;
const KIND_LABEL: Record<(typeof KINDS)[number], MessageKey> = {
  '': 'search.kind.all',
  bundle: 'search.kind.bundle',
  matter: 'search.kind.matter',
};

/** What the address asks for, and what is wrong with it (the API's own limits, said in our words). */
function readQuery(query: URLSearchParams) {
  const q = (query.get('q') ?? '').trim();
  const lifeEvent = query.get('lifeEvent') ?? '';
  const rawKind = query.get('kind') ?? '';
  const kind = (KINDS as readonly string[]).includes(rawKind) ? (rawKind as (typeof KINDS)[number]) : '';
  const submitted = query.has('q') || query.has('lifeEvent') || query.has('kind');
  const error: MessageKey | undefined =
    q.length > 100 ? 'search.error.tooLong' : submitted && !q && !lifeEvent ? 'search.error.empty' : undefined;
  const api = new URLSearchParams({ limit: '50' });
  if (q) api.set('q', q);
  if (lifeEvent) api.set('lifeEvent', lifeEvent);
  if (kind) api.set('kind', kind);
  return { q, lifeEvent, kind, error, ready: !error && (q !== '' || lifeEvent !== ''), api };
}

export default function Search() {
  const { t } = useI18n();
  const { query } = useLocation();
  const { q, lifeEvent, kind, error, ready, api } = readQuery(query);
  usePageTitle(t('search.title'), Boolean(error));
  return (
    <>
      {error && <ErrorSummary key={query.toString()} errors={[{ field: 'q', text: t(error) }]} />}
      <h1 className="heading-l">{t('search.heading')}</h1>
      <SearchForm
        key={query.toString()}
        label={t('search.label')}
        button={t('search.button')}
        defaultValue={q}
        {...(error ? { error: t(error) } : {})}
      >
        {lifeEvent && <input type="hidden" name="lifeEvent" value={lifeEvent} />}
        <Radios
          id="kind"
          name="kind"
          legend={t('search.kind.legend')}
          value={kind}
          items={KINDS.map((k) => ({ value: k, label: t(KIND_LABEL[k]) }))}
        />
      </SearchForm>
      {lifeEvent && <LifeEventNote code={lifeEvent} />}
      {ready && <Results path={catalogPaths.search(api)} />}
    </>
  );
}

function LifeEventNote({ code }: { code: string }) {
  const { t, text } = useI18n();
  const events = useApi<LifeEvent[]>(catalogPaths.lifeEvents());
  const event = events.state === 'ok' ? events.data.find((e) => e.code === code) : undefined;
  if (!event) return null;
  return <p className="body">{t('search.lifeEvent', { name: text(event.name) })}</p>;
}

function Results({ path }: { path: string }) {
  const { t, n, text } = useI18n();
  const result = useApi<SearchResult>(path);
  const departments = useApi<Department[]>('catalog/departments');
  if (result.state === 'loading') return <Loading />;
  if (result.state === 'error') return <ErrorPage problem={result.problem} />;
  const departmentName = (code?: string) => {
    const d = departments.state === 'ok' && code ? departments.data.find((x) => x.code === code) : undefined;
    return d ? text(d.name) : undefined;
  };
  const { total, items } = result.data;
  return (
    <section aria-labelledby="results-heading">
      <h2 className="heading-m" id="results-heading" role="status">
        {n('search.results', total)}
      </h2>
      {items.length === 0 ? (
        <p className="body">{t('search.none')}</p>
      ) : (
        <ul className="results">
          {items.map((item) => (
            <li className="results__item" key={`${item.kind}:${item.code}`}>
              <Link href={guideHref(item)} className="results__link">
                {text(item.name)}
              </Link>
              <p className="results__meta">
                <Tag colour={item.kind === 'bundle' ? 'blue' : 'grey'}>
                  {t(item.kind === 'bundle' ? 'tag.bundle' : 'tag.matter')}
                </Tag>
                {departmentName(item.departmentCode) && (
                  <span className="secondary-text">{departmentName(item.departmentCode)}</span>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
