// A matter's draft (GET/PUT catalog/matters/:code/draft): its fields, and its form as JSON Schema
// with a live preview; saved, then published as a new version (POST …/publish). What the API
// refuses — the body's schema (body.*) or publishing's checks (draft.*) — is shown in place: an
// error summary that takes focus and links to each input, and the message by the input.
import type { DataElementView, MatterVersionView } from '@tongban/contracts';
import { useMemo } from 'react';
import type { FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { Checkboxes } from '../components/Choices.tsx';
import { Select } from '../components/Select.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogPaths, type Department, type LifeEvent } from '../lib/catalog.ts';
import { useApi } from '../lib/useApi.ts';
import { ProblemNote, type Errors } from './bits.tsx';
import { useFresh } from './data.ts';
import { DraftLoader, EditorHead, inputsOf, JsonArea, NameFields, useDraftEditor } from './editor.tsx';
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
const inputOf = inputsOf([
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
]);

export function MatterEditor({ params }: { params: Record<string, string> }) {
  return (
    <DraftLoader<Draft> kind="matters" params={params}>
      {(code, draft) => <Editor code={code} draft={draft} />}
    </DraftLoader>
  );
}

function Editor({ code, draft }: { code: string; draft: Draft }) {
  const { t, text } = useI18n();
  const departments = useFresh<Department[]>('catalog/departments');
  const elementList = useApi<DataElementView[]>('catalog/data-elements');
  const editor = useDraftEditor({
    kind: 'matters',
    code,
    initial: () => valuesOf(draft),
    title: 'console.matter.title',
    inputOf,
    fallbackInput: 'form',
  });
  const lifeEvents = useApi<LifeEvent[]>(catalogPaths.lifeEvents());
  const { values, setValues, bind, fail, unreadable } = editor;

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

  /** The draft as the API takes it, or the inputs that are not even JSON or numbers. */
  const body = (): { ok: true; body: Omit<Draft, 'code'> } | { ok: false; errors: Errors } => {
    const local: Record<string, string> = {};
    const parse = (k: keyof Values, optional = false): unknown => {
      if (optional && values[k].trim() === '') return undefined;
      try {
        return JSON.parse(values[k]);
      } catch {
        local[k] = unreadable(k, 'console.matter.notJson');
        return undefined;
      }
    };
    const int = (k: 'legalDays' | 'promisedDays') => {
      if (!/^\s*\d+\s*$/.test(values[k])) local[k] = unreadable(k, 'console.matter.notWholeNumber');
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

  const act = (publish: boolean) => {
    const b = body();
    if (!b.ok) return fail(b.errors);
    return editor.save(b.body, publish);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void act(true);
  };

  const { latest } = editor;
  return (
    <>
      <EditorHead editor={editor} back={t('console.matter.back')} caption={t('console.matter.caption', { code })} />
      {latest.state === 'error' && latest.problem.status !== 404 && <ProblemNote problem={latest.problem} />}
      <form onSubmit={submit} noValidate>
        <h2 className="heading-m">{t('console.matter.fields')}</h2>
        <NameFields editor={editor} />
        <Select
          {...bind('departmentCode')}
          label={t('console.matter.department')}
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
            {...bind('legalDays')}
            label={t('console.matter.legalDays')}
            hint={t('console.matter.daysHint')}
            inputMode="numeric"
            className="input--width-5"
          />
          <TextInput
            {...bind('promisedDays')}
            label={t('console.matter.promisedDays')}
            hint={t('console.matter.promisedHint')}
            inputMode="numeric"
            className="input--width-5"
          />
        </div>
        <Select
          {...bind('process')}
          label={t('console.matter.process')}
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
            error={editor.errors.byInput['lifeEvents']}
            values={listOf(values.lifeEvents)}
            onChange={(chosen) => setValues((v) => ({ ...v, lifeEvents: chosen.join(', ') }))}
            items={lifeEvents.data.map((l) => ({ value: l.code, label: text(l.name) }))}
          />
        ) : (
          <TextInput
            {...bind('lifeEvents')}
            label={t('console.matter.lifeEvents')}
            hint={t('console.matter.lifeEventsHint')}
            spellCheck={false}
          />
        )}

        <h2 className="heading-m">{t('console.matter.formHeading')}</h2>
        <div className="editor editor--two">
          <div>
            <JsonArea
              {...bind('form')}
              label={t('console.matter.form')}
              hint={t('console.matter.formHint')}
              rows={24}
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
        <JsonArea
          {...bind('materials')}
          label={t('console.matter.materials')}
          hint={t('console.matter.jsonHint')}
          rows={8}
        />
        <JsonArea {...bind('fees')} label={t('console.matter.fees')} hint={t('console.matter.jsonHint')} rows={4} />
        <JsonArea
          {...bind('autoApprove')}
          label={t('console.matter.autoApprove')}
          hint={t('console.matter.optionalJsonHint')}
          rows={4}
        />
        <JsonArea
          {...bind('producesLicence')}
          label={t('console.matter.producesLicence')}
          hint={t('console.matter.optionalJsonHint')}
          rows={4}
        />

        <div className="button-group">
          <Button type="submit" disabled={editor.busy}>
            {t('console.matter.publish')}
          </Button>
          <Button variant="secondary" disabled={editor.busy} onClick={() => void act(false)}>
            {t('console.matter.saveDraft')}
          </Button>
        </div>
      </form>
    </>
  );
}
