// One template (/console/templates/<kind>/<channel>): both languages' text (and an e-mail's
// subject), the placeholders this kind of notice supplies, a preview filled with sample values
// (SMS: its length and how many messages it costs), saved as a draft (PUT) and published (POST
// …/publish). What the API refuses — an unknown placeholder, a stray brace, an empty language, an
// SMS too long — is shown in place: the error summary takes focus and links to each text, and
// the message stands by the text.
import type { TemplatePreviewView, TemplateView } from '@tongban/contracts';
import { useState, type FormEvent } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { Radios } from '../components/Choices.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { catalogs, type MessageKey } from '../i18n/messages.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { usePageTitle } from '../lib/title.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { none, ProblemNote, useLabelled, type Errors } from '../console/bits.tsx';
import { enc, useFresh, useSend } from '../console/data.ts';
import { templateInputOf, type TemplateInput } from './template-fields.ts';
import { channelKey, kindKey } from './words.ts';
import './notify.css';

export function TemplateEditor({ params }: { params: Record<string, string> }) {
  const kind = params['kind'] ?? '';
  const channel = params['channel'] ?? '';
  const template = useFresh<TemplateView>(`notify/templates/${enc(kind)}/${enc(channel)}`);
  if (template.state === 'loading') return <Loading />;
  if (template.state === 'error') return <ErrorPage problem={template.problem} />;
  return <Editor template={template.data} />;
}

type Values = Record<TemplateInput, string>;

const has = (key: string): key is MessageKey => Object.hasOwn(catalogs['zh-CN'], key);

function Editor({ template: initial }: { template: TemplateView }) {
  const { t, text, number, date } = useI18n();
  const send = useSend();
  const labelled = useLabelled();
  const [template, setTemplate] = useState(initial);
  const withSubject = template.subject !== null || template.channel === 'email';
  const [values, setValues] = useState<Values>({
    subjectZh: initial.subject?.zh ?? '',
    subjectEn: initial.subject?.en ?? '',
    bodyZh: initial.body.zh,
    bodyEn: initial.body.en,
  });
  const [errors, setErrors] = useState<Errors>(none);
  const [round, setRound] = useState(0);
  const [done, setDone] = useState<{ kind: 'saved' | 'published'; version: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [lang, setLang] = useState<'zh-CN' | 'en'>('zh-CN');
  const [preview, setPreview] = useState<TemplatePreviewView>();
  const [previewProblem, setPreviewProblem] = useState<Problem>();

  const kindWords = kindKey(template.kind);
  const channelWords = channelKey(template.channel);
  const kindName = kindWords ? t(kindWords) : template.kind;
  const channelName = channelWords ? t(channelWords) : template.channel;
  const title = t('notify.template.title', { kind: kindName, channel: channelName });
  usePageTitle(title, errors.summary.length > 0);

  const fail = (e: Errors) => {
    setDone(null);
    setErrors(e);
    setRound((r) => r + 1);
  };
  const bind = (k: TemplateInput) => ({
    id: k,
    value: values[k],
    error: errors.byInput[k],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setValues((v) => ({ ...v, [k]: value }));
    },
  });
  /** A field error's words: ours for the codes we know (after the text's label), else the API's message. */
  const wordsOf = (input: string, code: string, message: string) => {
    const key = `notify.field.${code}`;
    const words = has(key) ? t(key) : message;
    return labelled(input, words) ?? words;
  };
  const refused = (problem: Problem) => {
    const byInput: Record<string, string> = {};
    for (const e of problem.errors ?? []) {
      const input = templateInputOf(e.field, withSubject);
      const words = wordsOf(input, e.code, e.message);
      byInput[input] = byInput[input] ? `${byInput[input]} ${words}` : words;
    }
    const summary = Object.entries(byInput).map(([field, text]) => ({ field, text }));
    if (summary.length === 0) summary.push({ field: 'bodyZh', text: t(problemMessageKey(problem.code, 'console')) });
    fail({ byInput, summary });
  };

  const body = () => ({
    subject: withSubject ? { zh: values.subjectZh, en: values.subjectEn } : null,
    body: { zh: values.bodyZh, en: values.bodyEn },
  });
  /** Every text present (the API says the same; saying it here spares a round trip). */
  const missing = (): Errors | null => {
    const inputs: TemplateInput[] = [...(withSubject ? (['subjectZh', 'subjectEn'] as const) : []), 'bodyZh', 'bodyEn'];
    const empty = inputs.filter((k) => values[k].trim() === '');
    if (empty.length === 0) return null;
    const byInput = Object.fromEntries(
      empty.map((k) => [k, labelled(k, t('notify.template.required')) ?? t('notify.template.required')]),
    );
    return { byInput, summary: Object.entries(byInput).map(([field, text]) => ({ field, text })) };
  };

  const path = `notify/templates/${enc(template.kind)}/${enc(template.channel)}`;
  const save = async (publish: boolean) => {
    const local = missing();
    if (local) return fail(local);
    setBusy(true);
    try {
      const saved = await send<TemplateView>(path, 'PUT', body());
      if (!saved.ok) return refused(saved.problem);
      setTemplate(saved.data);
      if (!publish) {
        setErrors(none);
        setDone({ kind: 'saved', version: saved.data.version });
        return;
      }
      const published = await send<TemplateView>(`${path}/publish`, 'POST');
      if (!published.ok) return refused(published.problem);
      setTemplate(published.data);
      setErrors(none);
      setDone({ kind: 'published', version: published.data.version });
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(true);
  };

  const showPreview = async () => {
    // The text as typed (saved or not): what the operator sees is what would go out.
    const r = await send<TemplatePreviewView>('notify/templates/preview', 'POST', {
      kind: template.kind,
      channel: template.channel,
      lang,
      body: { zh: values.bodyZh, en: values.bodyEn },
      ...(withSubject ? { subject: { zh: values.subjectZh, en: values.subjectEn } } : {}),
    });
    if (r.ok) {
      setPreview(r.data);
      setPreviewProblem(undefined);
    } else {
      setPreview(undefined);
      setPreviewProblem(r.problem);
    }
  };

  return (
    <>
      <BackLink href="/console/templates">{t('notify.template.back')}</BackLink>
      {errors.summary.length > 0 && <ErrorSummary key={round} errors={errors.summary} />}
      {done && (
        <NotificationBanner type="success" title={t('notify.template.doneTitle')}>
          <p className="body">
            {done.kind === 'published'
              ? t('notify.template.publishedDone', { version: number(done.version) })
              : t('notify.template.saved', { version: number(done.version) })}
          </p>
        </NotificationBanner>
      )}
      <span className="caption">{t('notify.template.caption', { version: number(template.version) })}</span>
      <h1 className="heading-l">{title}</h1>
      <p className="body secondary-text">
        {template.publishedAt
          ? t('notify.template.publishedBy', { date: date(template.publishedAt), by: template.publishedBy ?? '' })
          : t('notify.template.notPublished')}
      </p>

      <h2 className="heading-m" id="placeholders-heading">
        {t('notify.template.placeholders')}
      </h2>
      {template.placeholders.length === 0 ? (
        <p className="body">{t('notify.template.noPlaceholders')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="placeholders-heading" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{t('notify.template.placeholders')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notify.template.placeholder')}</th>
                <th scope="col">{t('notify.template.type')}</th>
                <th scope="col">{t('notify.template.meaning')}</th>
              </tr>
            </thead>
            <tbody>
              {template.placeholders.map((p) => (
                <tr key={p.name}>
                  <th scope="row">
                    <code>{`{${p.name}}`}</code>
                  </th>
                  <td>{has(`notify.template.type.${p.type}`) ? t(`notify.template.type.${p.type}`) : p.type}</td>
                  <td>{text(p.description)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form onSubmit={submit} noValidate>
        <div className="editor editor--two">
          <div>
            {withSubject && (
              <>
                <TextInput {...bind('subjectZh')} label={t('notify.template.subjectZh')} lang="zh-CN" />
                <TextInput {...bind('subjectEn')} label={t('notify.template.subjectEn')} lang="en" />
              </>
            )}
            <Textarea
              {...bind('bodyZh')}
              label={t('notify.template.bodyZh')}
              hint={t('notify.template.bodyHint')}
              rows={template.channel === 'sms' ? 4 : 8}
              lang="zh-CN"
            />
            <Textarea
              {...bind('bodyEn')}
              label={t('notify.template.bodyEn')}
              hint={t('notify.template.bodyHint')}
              rows={template.channel === 'sms' ? 4 : 8}
              lang="en"
              spellCheck
            />
          </div>
          <section className="preview" aria-labelledby="preview-heading">
            <h2 className="heading-s" id="preview-heading">
              {t('notify.preview.heading')}
            </h2>
            <p className="hint">{t('notify.preview.hint')}</p>
            <Radios
              id="preview-lang"
              name="preview-lang"
              legend={t('notify.preview.lang')}
              value={lang}
              onChange={(v) => setLang(v === 'en' ? 'en' : 'zh-CN')}
              items={[
                { value: 'zh-CN', label: t('notify.prefs.langZh') },
                { value: 'en', label: t('notify.prefs.langEn') },
              ]}
            />
            <Button variant="secondary" onClick={() => void showPreview()}>
              {t('notify.preview.button')}
            </Button>
            <div aria-live="polite" id="preview-result">
              {previewProblem && <ProblemNote problem={previewProblem} />}
              {!preview && !previewProblem && <p className="body secondary-text">{t('notify.preview.empty')}</p>}
              {preview && (
                <dl className="summary-list">
                  {preview.subject !== null && (
                    <div className="summary-list__row">
                      <dt className="summary-list__key">{t('notify.preview.subject')}</dt>
                      <dd className="summary-list__value" lang={lang}>
                        {preview.subject}
                      </dd>
                    </div>
                  )}
                  <div className="summary-list__row">
                    <dt className="summary-list__key">{t('notify.preview.text')}</dt>
                    <dd className="summary-list__value sms-list__text" lang={lang}>
                      {preview.text}
                    </dd>
                  </div>
                  {template.channel === 'sms' && (
                    <div className="summary-list__row">
                      <dt className="summary-list__key">{t('notify.channel.sms')}</dt>
                      <dd className="summary-list__value">
                        {t('notify.preview.length', {
                          length: number(preview.length),
                          segments: number(preview.segments),
                        })}
                      </dd>
                    </div>
                  )}
                </dl>
              )}
            </div>
          </section>
        </div>
        <div className="button-group">
          <Button type="submit" disabled={busy}>
            {t('notify.template.publish')}
          </Button>
          <Button variant="secondary" disabled={busy} onClick={() => void save(false)}>
            {t('notify.template.save')}
          </Button>
        </div>
      </form>
    </>
  );
}
