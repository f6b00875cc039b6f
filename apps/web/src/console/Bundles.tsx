// 一件事: the published bundles (GET catalog/search?kind=bundle), and one's draft edited
// (GET/PUT catalog/bundles/:code/draft) and published (POST …/publish) as the matter editor does:
// the API's field errors shown in place.
import { useState, type FormEvent } from 'react';
import type { BundleVersionView } from '@tongban/contracts';
import { BackLink } from '../components/BackLink.tsx';
import { Button } from '../components/Button.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { Select } from '../components/Select.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogPaths, type LifeEvent, type SearchResult } from '../lib/catalog.ts';
import { useApi } from '../lib/useApi.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { usePageTitle } from '../lib/title.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { fieldErrors, ProblemNote, useFieldWords, useLabelled } from './bits.tsx';
import { enc, useFresh, useSend } from './data.ts';

type Draft = Omit<BundleVersionView, 'version' | 'publishedAt' | 'matterVersions' | 'form'>;
type Errors = { byInput: Record<string, string>; summary: SummaryError[] };
const none: Errors = { byInput: {}, summary: [] };

export function Bundles() {
  const { t, text, n, number } = useI18n();
  usePageTitle(t('console.bundles.title'));
  const list = useFresh<SearchResult>('catalog/search?kind=bundle&limit=50');
  return (
    <>
      <h1 className="heading-l">{t('console.bundles.title')}</h1>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ProblemNote problem={list.problem} />
      ) : (
        <>
          <p className="body">{n('console.bundles.count', list.data.total)}</p>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('console.bundles.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('console.matters.name')}</th>
                  <th scope="col">{t('console.matters.code')}</th>
                  <th scope="col" className="table__numeric">
                    {t('console.matters.version')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((b) => (
                  <tr key={b.code}>
                    <th scope="row">
                      <Link href={`/console/bundles/${enc(b.code)}`}>{text(b.name)}</Link>
                    </th>
                    <td>{b.code}</td>
                    <td className="table__numeric">{number(b.version)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

export function BundleEditor({ params }: { params: Record<string, string> }) {
  const code = params['code'] ?? '';
  const draft = useFresh<Draft>(`catalog/bundles/${enc(code)}/draft`);
  if (draft.state === 'loading') return <Loading />;
  if (draft.state === 'error') return <ErrorPage problem={draft.problem} />;
  return <Editor code={code} draft={draft.data} />;
}

const INPUTS = ['nameZh', 'nameEn', 'descriptionZh', 'descriptionEn', 'lifeEvent', 'promisedDays', 'items'] as const;

function inputOf(field: string): string {
  const [head, sub] = field.replace(/^(body|draft)\./, '').split('.');
  if (head === 'name') return sub === 'en' ? 'nameEn' : 'nameZh';
  if (head === 'description') return sub === 'en' ? 'descriptionEn' : 'descriptionZh';
  return head && (INPUTS as readonly string[]).includes(head) ? head : '';
}

function Editor({ code, draft }: { code: string; draft: Draft }) {
  const { t, text, number, date } = useI18n();
  const send = useSend();
  const words = useFieldWords();
  const labelled = useLabelled();
  const latest = useFresh<BundleVersionView>(`catalog/bundles/${enc(code)}`);
  const lifeEvents = useApi<LifeEvent[]>(catalogPaths.lifeEvents());
  const [values, setValues] = useState({
    nameZh: draft.name.zh,
    nameEn: draft.name.en,
    descriptionZh: draft.description.zh,
    descriptionEn: draft.description.en,
    lifeEvent: draft.lifeEvent,
    promisedDays: String(draft.promisedDays),
    items: JSON.stringify(draft.items, null, 2),
  });
  const [errors, setErrors] = useState<Errors>(none);
  const [round, setRound] = useState(0);
  const [published, setPublished] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const name = text({ zh: values.nameZh || code, en: values.nameEn || code });
  usePageTitle(t('console.bundle.title', { name }), errors.summary.length > 0);
  const set = (k: (typeof INPUTS)[number]) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [k]: value }));
  };
  const fail = (e: Errors) => {
    setPublished(null);
    setErrors(e);
    setRound((r) => r + 1);
  };
  const refused = (problem: Problem) => {
    const mapped = fieldErrors(problem, inputOf, words, 'items', labelled);
    if (mapped.summary.length === 0) mapped.summary.push({ field: 'nameZh', text: t(problemMessageKey(problem.code)) });
    fail(mapped);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let items: unknown;
    try {
      items = JSON.parse(values.items);
    } catch {
      const text = labelled('items', t('console.matter.notJson')) ?? t('console.matter.notJson');
      return fail({ byInput: { items: text }, summary: [{ field: 'items', text }] });
    }
    if (!/^\s*\d+\s*$/.test(values.promisedDays)) {
      const text = labelled('promisedDays', t('console.matter.notWholeNumber')) ?? t('console.matter.notWholeNumber');
      return fail({ byInput: { promisedDays: text }, summary: [{ field: 'promisedDays', text }] });
    }
    setBusy(true);
    try {
      const saved = await send(`catalog/bundles/${enc(code)}/draft`, 'PUT', {
        name: { zh: values.nameZh.trim(), en: values.nameEn.trim() },
        description: { zh: values.descriptionZh.trim(), en: values.descriptionEn.trim() },
        lifeEvent: values.lifeEvent.trim(),
        promisedDays: Number(values.promisedDays),
        items,
      });
      if (!saved.ok) return refused(saved.problem);
      const done = await send<{ version: number }>(`catalog/bundles/${enc(code)}/publish`, 'POST');
      if (!done.ok) return refused(done.problem);
      setErrors(none);
      setPublished(done.data.version);
      latest.reload();
    } finally {
      setBusy(false);
    }
  };

  const e = errors.byInput;
  return (
    <>
      <BackLink href="/console/bundles">{t('console.bundle.back')}</BackLink>
      {errors.summary.length > 0 && <ErrorSummary key={round} errors={errors.summary} />}
      {published !== null && (
        <NotificationBanner type="success" title={t('console.matter.published', { version: number(published) })}>
          <p className="body">
            {/* A full page load: this visit's cached guide would still show the version before. */}
            <a className="link" href={`/bundles/${enc(code)}`}>
              {t('console.matter.seeGuide')}
            </a>
          </p>
        </NotificationBanner>
      )}
      <span className="caption">{t('console.bundle.caption', { code })}</span>
      <h1 className="heading-l">{name}</h1>
      {latest.state === 'ok' && (
        <p className="body secondary-text" id="current-version">
          {t('console.matter.current', { version: number(latest.data.version), date: date(latest.data.publishedAt) })}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <div className="editor editor--two">
          <TextInput
            id="nameZh"
            label={t('console.name.zh')}
            value={values.nameZh}
            onChange={set('nameZh')}
            error={e['nameZh']}
            lang="zh-CN"
          />
          <TextInput
            id="nameEn"
            label={t('console.name.en')}
            value={values.nameEn}
            onChange={set('nameEn')}
            error={e['nameEn']}
            lang="en"
          />
          <Textarea
            id="descriptionZh"
            label={t('console.description.zh')}
            value={values.descriptionZh}
            onChange={set('descriptionZh')}
            error={e['descriptionZh']}
            rows={3}
            lang="zh-CN"
          />
          <Textarea
            id="descriptionEn"
            label={t('console.description.en')}
            value={values.descriptionEn}
            onChange={set('descriptionEn')}
            error={e['descriptionEn']}
            rows={3}
            lang="en"
          />
        </div>
        {lifeEvents.state === 'ok' ? (
          <Select
            id="lifeEvent"
            label={t('console.bundle.lifeEvent')}
            value={values.lifeEvent}
            onChange={set('lifeEvent')}
            error={e['lifeEvent']}
            options={lifeEvents.data.map((l) => ({ value: l.code, label: text(l.name) }))}
          />
        ) : (
          <TextInput
            id="lifeEvent"
            label={t('console.bundle.lifeEvent')}
            hint={t('console.bundle.lifeEventHint')}
            value={values.lifeEvent}
            onChange={set('lifeEvent')}
            error={e['lifeEvent']}
            spellCheck={false}
          />
        )}
        <TextInput
          id="promisedDays"
          label={t('console.matter.promisedDays')}
          value={values.promisedDays}
          onChange={set('promisedDays')}
          error={e['promisedDays']}
          inputMode="numeric"
          className="input--width-5"
        />
        <Textarea
          id="items"
          className="textarea--code"
          label={t('console.bundle.items')}
          hint={t('console.bundle.itemsHint')}
          value={values.items}
          onChange={set('items')}
          error={e['items']}
          rows={16}
          spellCheck={false}
        />
        <Button type="submit" disabled={busy}>
          {t('console.matter.publish')}
        </Button>
      </form>
    </>
  );
}
