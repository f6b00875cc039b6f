// A matter's draft (GET/PUT catalog/matters/:code/draft): its fields, and its form as JSON Schema
// with a live preview; saved, then published as a new version (POST …/publish). What the API
// refuses — the body's schema (body.*) or publishing's checks (draft.*) — is shown in place: an
// error summary that takes focus and links to each input, and the message by the input.
import type { DataElementView, MatterVersionView } from '@tongban/contracts';
import { useMemo, useState, type FormEvent } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Button } from '../components/Button.tsx';
import { Checkboxes } from '../components/Choices.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { Select } from '../components/Select.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogPaths, type Department, type LifeEvent } from '../lib/catalog.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { usePageTitle } from '../lib/title.ts';
import { useApi } from '../lib/useApi.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { fieldErrors, ProblemNote, useFieldWords, useLabelled } from './bits.tsx';
import { enc, useFresh, useSend } from './data.ts';
import { FormPreview, type Schema } from './FormPreview.tsx';

type Draft = Omit<MatterVersionView, 'version' | 'publishedAt' | 'elements'>;

interface Values {
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  departmentCode: string;
  legalDays: string;
  promisedDays: string;
  process: string;
  lifeEvents: string;
  materials: string;
  fees: string;
  autoApprove: string;
  producesLicence: string;
  form: string;
}

const json = (v: unknown) => JSON.stringify(v, null, 2);
const listOf = (v: string) =>
  v
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function valuesOf(d: Draft): Values {
  return {
    nameZh: d.name.zh,
    nameEn: d.name.en,
    descriptionZh: d.description.zh,
    descriptionEn: d.description.en,
    departmentCode: d.departmentCode,
    legalDays: String(d.legalDays),
    promisedDays: String(d.promisedDays),
    process: d.process ?? 'standard',
    lifeEvents: d.lifeEvents.join(', '),
    materials: json(d.materials),
    fees: json(d.fees),
    autoApprove: d.autoApprove ? json(d.autoApprove) : '',
    producesLicence: d.producesLicence ? json(d.producesLicence) : '',
    form: json(d.form),
  };
}

/** The API's field (body.x / draft.x) → the id of the input that holds it. */
function inputOf(field: string): string {
  const f = field.replace(/^(body|draft)\./, '');
  const [head, sub] = f.split('.');
  if (head === 'name') return sub === 'en' ? 'nameEn' : 'nameZh';
  if (head === 'description') return sub === 'en' ? 'descriptionEn' : 'descriptionZh';
  const direct = [
    'departmentCode',
    'legalDays',
    'promisedDays',
    'process',
    'lifeEvents',
    'materials',
    'fees',
    'autoApprove',
    'producesLicence',
    'form',
  ];
  return head && direct.includes(head) ? head : '';
}

type Errors = { byInput: Record<string, string>; summary: SummaryError[] };
const none: Errors = { byInput: {}, summary: [] };

export function MatterEditor({ params }: { params: Record<string, string> }) {
  const code = params['code'] ?? '';
  const draft = useFresh<Draft>(`catalog/matters/${enc(code)}/draft`);
  if (draft.state === 'loading') return <Loading />;
  if (draft.state === 'error') return <ErrorPage problem={draft.problem} />;
  return <Editor code={code} draft={draft.data} />;
}

function Editor({ code, draft }: { code: string; draft: Draft }) {
  const { t, text, number, date } = useI18n();
  const send = useSend();
  const words = useFieldWords();
  const labelled = useLabelled();
  const departments = useFresh<Department[]>('catalog/departments');
  const elementList = useApi<DataElementView[]>('catalog/data-elements');
  const latest = useFresh<MatterVersionView>(`catalog/matters/${enc(code)}`);
  const lifeEvents = useApi<LifeEvent[]>(catalogPaths.lifeEvents());
  const [values, setValues] = useState<Values>(() => valuesOf(draft));
  const [errors, setErrors] = useState<Errors>(none);
  const [round, setRound] = useState(0);
  const [done, setDone] = useState<{ kind: 'saved' } | { kind: 'published'; version: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const name = values.nameZh || code;
  usePageTitle(
    t('console.matter.title', { name: text({ zh: values.nameZh || code, en: values.nameEn || code }) }),
    errors.summary.length > 0,
  );

  const elements = useMemo(
    () => new Map((elementList.state === 'ok' ? elementList.data : []).map((e) => [e.id, e])),
    [elementList],
  );
  const preview = useMemo((): Schema | null => {
    try {
      const parsed: unknown = JSON.parse(values.form);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Schema) : null;
    } catch {
      return null;
    }
  }, [values.form]);

  const set = (k: keyof Values) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [k]: value }));
  };
  const fail = (e: Errors) => {
    setDone(null);
    setErrors(e);
    setRound((r) => r + 1);
  };

  /** The draft as the API takes it, or the inputs that are not even JSON or numbers. */
  const body = (): { ok: true; body: Omit<Draft, 'code'> } | { ok: false; errors: Errors } => {
    const local: Record<string, string> = {};
    const parse = (k: keyof Values, optional = false): unknown => {
      if (optional && values[k].trim() === '') return undefined;
      try {
        return JSON.parse(values[k]);
      } catch {
        local[k] = labelled(k, t('console.matter.notJson')) ?? t('console.matter.notJson');
        return undefined;
      }
    };
    const int = (k: 'legalDays' | 'promisedDays') => {
      if (!/^\s*\d+\s*$/.test(values[k]))
        local[k] = labelled(k, t('console.matter.notWholeNumber')) ?? t('console.matter.notWholeNumber');
      return Number(values[k]);
    };
    const draftBody = {
      name: { zh: values.nameZh.trim(), en: values.nameEn.trim() },
      description: { zh: values.descriptionZh.trim(), en: values.descriptionEn.trim() },
      departmentCode: values.departmentCode,
      legalDays: int('legalDays'),
      promisedDays: int('promisedDays'),
      process: values.process as Draft['process'],
      lifeEvents: listOf(values.lifeEvents),
      materials: parse('materials') as Draft['materials'],
      fees: parse('fees') as Draft['fees'],
      form: parse('form') as Draft['form'],
      ...(values.autoApprove.trim() ? { autoApprove: parse('autoApprove', true) as Draft['autoApprove'] } : {}),
      ...(values.producesLicence.trim()
        ? { producesLicence: parse('producesLicence', true) as Draft['producesLicence'] }
        : {}),
    };
    const summary = Object.entries(local).map(([field, text]) => ({ field, text }));
    return summary.length ? { ok: false, errors: { byInput: local, summary } } : { ok: true, body: draftBody };
  };

  const refused = (problem: Problem) => {
    const mapped = fieldErrors(problem, inputOf, words, 'form', labelled);
    if (mapped.summary.length === 0) mapped.summary.push({ field: 'nameZh', text: t(problemMessageKey(problem.code)) });
    fail(mapped);
  };

  const act = async (publish: boolean) => {
    const b = body();
    if (!b.ok) return fail(b.errors);
    setBusy(true);
    try {
      const saved = await send(`catalog/matters/${enc(code)}/draft`, 'PUT', b.body);
      if (!saved.ok) return refused(saved.problem);
      if (!publish) {
        setErrors(none);
        setDone({ kind: 'saved' });
        return;
      }
      const published = await send<{ version: number }>(`catalog/matters/${enc(code)}/publish`, 'POST');
      if (!published.ok) return refused(published.problem);
      setErrors(none);
      setDone({ kind: 'published', version: published.data.version });
      latest.reload();
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void act(true);
  };

  const e = errors.byInput;
  return (
    <>
      <BackLink href="/console/matters">{t('console.matter.back')}</BackLink>
      {errors.summary.length > 0 && <ErrorSummary key={round} errors={errors.summary} />}
      {done?.kind === 'published' && (
        <NotificationBanner type="success" title={t('console.matter.published', { version: number(done.version) })}>
          <p className="body">
            {/* A full page load: this visit's cached guide would still show the version before. */}
            <a className="link" href={`/matters/${enc(code)}`}>
              {t('console.matter.seeGuide')}
            </a>
          </p>
        </NotificationBanner>
      )}
      {done?.kind === 'saved' && (
        <NotificationBanner type="success" title={t('console.saved')}>
          <p className="body">{t('console.matter.draftSaved')}</p>
        </NotificationBanner>
      )}
      <span className="caption">{t('console.matter.caption', { code })}</span>
      <h1 className="heading-l">{text({ zh: name, en: values.nameEn || code })}</h1>
      {latest.state === 'ok' && (
        <p className="body secondary-text" id="current-version">
          {t('console.matter.current', { version: number(latest.data.version), date: date(latest.data.publishedAt) })}
        </p>
      )}
      {latest.state === 'error' && latest.problem.status !== 404 && <ProblemNote problem={latest.problem} />}
      <form onSubmit={submit} noValidate>
        <h2 className="heading-m">{t('console.matter.fields')}</h2>
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
        <Select
          id="departmentCode"
          label={t('console.matter.department')}
          value={values.departmentCode}
          onChange={set('departmentCode')}
          error={e['departmentCode']}
          options={
            departments.state === 'ok'
              ? [
                  ...(departments.data.some((d) => d.code === values.departmentCode)
                    ? []
                    : [{ value: values.departmentCode, label: values.departmentCode }]),
                  ...departments.data.map((d) => ({ value: d.code, label: text(d.name) })),
                ]
              : [{ value: values.departmentCode, label: values.departmentCode }]
          }
        />
        <div className="editor editor--two">
          <TextInput
            id="legalDays"
            label={t('console.matter.legalDays')}
            hint={t('console.matter.daysHint')}
            value={values.legalDays}
            onChange={set('legalDays')}
            error={e['legalDays']}
            inputMode="numeric"
            className="input--width-5"
          />
          <TextInput
            id="promisedDays"
            label={t('console.matter.promisedDays')}
            hint={t('console.matter.promisedHint')}
            value={values.promisedDays}
            onChange={set('promisedDays')}
            error={e['promisedDays']}
            inputMode="numeric"
            className="input--width-5"
          />
        </div>
        <Select
          id="process"
          label={t('console.matter.process')}
          value={values.process}
          onChange={set('process')}
          error={e['process']}
          options={[
            { value: 'standard', label: t('console.matter.process.standard') },
            { value: 'immediate', label: t('console.matter.process.immediate') },
          ]}
        />
        {lifeEvents.state === 'ok' ? (
          <Checkboxes
            id="lifeEvents"
            name="lifeEvents"
            legend={t('console.matter.lifeEvents')}
            error={e['lifeEvents']}
            values={listOf(values.lifeEvents)}
            onChange={(chosen) => setValues((v) => ({ ...v, lifeEvents: chosen.join(', ') }))}
            items={lifeEvents.data.map((l) => ({ value: l.code, label: text(l.name) }))}
          />
        ) : (
          <TextInput
            id="lifeEvents"
            label={t('console.matter.lifeEvents')}
            hint={t('console.matter.lifeEventsHint')}
            value={values.lifeEvents}
            onChange={set('lifeEvents')}
            error={e['lifeEvents']}
            spellCheck={false}
          />
        )}

        <h2 className="heading-m">{t('console.matter.formHeading')}</h2>
        <div className="editor editor--two">
          <div>
            <Textarea
              id="form"
              className="textarea--code"
              label={t('console.matter.form')}
              hint={t('console.matter.formHint')}
              value={values.form}
              onChange={set('form')}
              error={e['form']}
              rows={24}
              spellCheck={false}
            />
          </div>
          <section className="preview" aria-labelledby="preview-heading">
            <h3 className="heading-s" id="preview-heading">
              {t('console.preview.heading')}
            </h3>
            <p className="hint">{t('console.preview.hint')}</p>
            {preview ? (
              <FormPreview schema={preview} elements={elements} />
            ) : (
              <p className="body">{t('console.preview.invalid')}</p>
            )}
          </section>
        </div>

        <h2 className="heading-m">{t('console.matter.more')}</h2>
        <Textarea
          id="materials"
          className="textarea--code"
          label={t('console.matter.materials')}
          hint={t('console.matter.jsonHint')}
          value={values.materials}
          onChange={set('materials')}
          error={e['materials']}
          rows={8}
          spellCheck={false}
        />
        <Textarea
          id="fees"
          className="textarea--code"
          label={t('console.matter.fees')}
          hint={t('console.matter.jsonHint')}
          value={values.fees}
          onChange={set('fees')}
          error={e['fees']}
          rows={4}
          spellCheck={false}
        />
        <Textarea
          id="autoApprove"
          className="textarea--code"
          label={t('console.matter.autoApprove')}
          hint={t('console.matter.optionalJsonHint')}
          value={values.autoApprove}
          onChange={set('autoApprove')}
          error={e['autoApprove']}
          rows={4}
          spellCheck={false}
        />
        <Textarea
          id="producesLicence"
          className="textarea--code"
          label={t('console.matter.producesLicence')}
          hint={t('console.matter.optionalJsonHint')}
          value={values.producesLicence}
          onChange={set('producesLicence')}
          error={e['producesLicence']}
          rows={4}
          spellCheck={false}
        />

        <div className="button-group">
          <Button type="submit" disabled={busy}>
            {t('console.matter.publish')}
          </Button>
          <Button variant="secondary" disabled={busy} onClick={() => void act(false)}>
            {t('console.matter.saveDraft')}
          </Button>
        </div>
      </form>
    </>
  );
}
