// /workbench/counter — 窗口: an officer with the counter role files a matter or a bundle for the
// person in front of them, named by their resident ID number (POST workflow/counter/applications;
// the workflow resolves the number through the population register and files into that person's
// account). Three steps: whom and what, looked up (查找: identity's counter summary — whether the
// person has an active account, name and mobile masked — each look-up logged); then the service's
// form and materials; the answer names the person as the data hub masks them for a counter (张*,
// 330106********123X) and gives the case number. Someone without an account cannot be filed for (the
// workflow files into the person's own account): the look-up says so and what to do instead.
import { useMemo, useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Loading } from '../components/Loading.tsx';
import { Panel } from '../components/Panel.tsx';
import { Select } from '../components/Select.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { catalogPaths, type Bundle, type Matter, type SearchResult } from '../lib/catalog.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useApi } from '../lib/useApi.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { useElements, type Elements } from './elements.ts';
import { WorkbenchNav } from './parts.tsx';
import { summaryOf, type Err } from './words.ts';
import { paths, type CounterAnswer, type ResidentSummary } from './types.ts';

const ID_NUMBER = /^[0-9]{17}[0-9Xx]$/;

interface Who {
  idNumber: string;
  kind: 'matter' | 'bundle';
  code: string;
}

export function Counter() {
  const { t } = useI18n();
  const { session } = useSession();
  const [who, setWho] = useState<Who | null>(null);
  const [person, setPerson] = useState<ResidentSummary | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [filed, setFiled] = useState<CounterAnswer | null>(null);
  const counter = session.state === 'signedIn' && session.user.roles.includes('counter');
  usePageTitle(t('workbench.counter.title'));
  const again = () => (setFiled(null), setWho(null), setPerson(null), setConfirmed(false));
  return (
    <>
      <WorkbenchNav counter={counter} />
      {!filed && <h1 className="heading-l">{t('workbench.counter.title')}</h1>}
      {!counter ? (
        <p className="body">{t('workbench.counter.notCounter')}</p>
      ) : filed ? (
        <Filed answer={filed} onAgain={again} />
      ) : who === null || person === null ? (
        <WhoForm onFound={(w, p) => (setWho(w), setPerson(p))} />
      ) : !confirmed ? (
        <Person person={person} onBack={again} onContinue={() => setConfirmed(true)} />
      ) : (
        <ServiceForm who={who} onBack={again} onFiled={setFiled} />
      )}
    </>
  );
}

/** 查找: whom identity knows by this ID number, masked, before anything is filed for them. */
function Person({
  person,
  onBack,
  onContinue,
}: {
  person: ResidentSummary;
  onBack: () => void;
  onContinue: () => void;
}) {
  const { t } = useI18n();
  const ready = person.account && person.active;
  return (
    <section aria-labelledby="person-heading" className="wb-counter">
      <h2 className="heading-m" id="person-heading">
        {t('workbench.counter.person.heading')}
      </h2>
      <SummaryList
        rows={[
          { key: t('workbench.counter.idNumber'), value: person.idNumber },
          ...(person.name !== null ? [{ key: t('workbench.counter.person.name'), value: person.name }] : []),
          ...(person.mobile !== null ? [{ key: t('workbench.counter.person.mobile'), value: person.mobile }] : []),
          {
            key: t('workbench.counter.person.account'),
            value: t(
              !person.account
                ? 'workbench.counter.person.none'
                : person.active
                  ? 'workbench.counter.person.active'
                  : 'workbench.counter.person.inactive',
            ),
          },
        ]}
      />
      <p className="body secondary-text">{t('workbench.counter.person.logged')}</p>
      {!ready && (
        <div className="inset" role="status">
          <h3 className="heading-s">
            {t(person.account ? 'workbench.counter.person.inactive.title' : 'workbench.counter.person.notFound.title')}
          </h3>
          <p className="body">
            {t(person.account ? 'workbench.counter.person.inactive.body' : 'workbench.counter.person.notFound.body')}
          </p>
        </div>
      )}
      <p className="body">
        {ready && (
          <>
            <Button onClick={onContinue}>{t('workbench.counter.person.continue')}</Button>{' '}
          </>
        )}
        <Button variant="secondary" onClick={onBack}>
          {t('workbench.counter.change')}
        </Button>
      </p>
    </section>
  );
}

function WhoForm({ onFound }: { onFound: (who: Who, person: ResidentSummary) => void }) {
  const { t, text, locale } = useI18n();
  const services = useApi<SearchResult>(catalogPaths.search(new URLSearchParams({ limit: '50' })));
  const [errors, setErrors] = useState<Err[]>([]);
  const [round, setRound] = useState(0);
  const [asking, setAsking] = useState(false);
  if (services.state === 'loading') return <Loading />;
  if (services.state === 'error') return <ErrorPage problem={services.problem} />;
  const items = services.data.items.filter((i) => i.kind === 'matter' || i.kind === 'bundle');
  const lookUp = async (who: Who) => {
    setAsking(true);
    try {
      onFound(who, await api<ResidentSummary>(paths.residentLookUp(who.idNumber), { locale }));
    } catch (e) {
      const problem = problemFrom(e);
      setRound((r) => r + 1);
      setErrors([
        {
          field: 'idNumber',
          key:
            problem.status === 403 && problem.code === 'FORBIDDEN_RESOURCE'
              ? 'workbench.counter.error.outside'
              : problemMessageKey(problem.code, 'workbench'),
        },
      ]);
    } finally {
      setAsking(false);
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const idNumber = String(data.get('idNumber') ?? '')
      .trim()
      .toUpperCase();
    const service = String(data.get('service') ?? '');
    const found: Err[] = [];
    if (!idNumber) found.push({ field: 'idNumber', key: 'workbench.counter.error.idMissing' });
    else if (!ID_NUMBER.test(idNumber)) found.push({ field: 'idNumber', key: 'workbench.counter.error.idFormat' });
    if (!service) found.push({ field: 'service', key: 'workbench.counter.error.service' });
    setRound((r) => r + 1);
    setErrors(found);
    if (found.length > 0) return;
    const [kind, code] = service.split(':') as ['matter' | 'bundle', string];
    void lookUp({ idNumber, kind, code });
  };
  const shown = summaryOf(errors, t);
  const errorOf = (f: string) => shown.find((e) => e.field === f)?.text;
  return (
    <form className="wb-counter" onSubmit={submit} noValidate>
      {errors.length > 0 && <ErrorSummary key={round} errors={shown} />}
      <p className="body">{t('workbench.counter.intro')}</p>
      <TextInput
        id="idNumber"
        name="idNumber"
        label={t('workbench.counter.idNumber')}
        hint={t('workbench.counter.idNumber.hint')}
        error={errorOf('idNumber')}
        autoComplete="off"
        spellCheck={false}
        maxLength={18}
        className="wb-width-20"
      />
      <Select
        id="service"
        name="service"
        label={t('workbench.counter.service')}
        error={errorOf('service')}
        defaultValue=""
        options={[
          { value: '', label: t('workbench.counter.service.choose') },
          ...items.map((i) => ({
            value: `${i.kind}:${i.code}`,
            label: `${text(i.name)}${i.kind === 'bundle' ? ` (${t('workbench.counter.bundle')})` : ''}`,
          })),
        ]}
      />
      <Button type="submit" disabled={asking}>
        {t('workbench.counter.lookUp')}
      </Button>
    </form>
  );
}

type Field = { key: string; id: string; label: string; type: string; values?: { code: string; label: string }[] };

function fieldsOf(
  form: Matter['form'],
  elements: Elements | undefined,
  text: (l: { zh: string; en: string }) => string,
) {
  return Object.entries(form.properties).map(([key, p], i): Field => {
    const element = elements?.get(p['x-data-element']);
    return {
      key,
      id: `field-${i + 1}`,
      label: element ? text(element.name) : key,
      type: element?.type ?? String((p as { type?: unknown }).type ?? 'string'),
      ...(element?.values ? { values: element.values.map((v) => ({ code: v.code, label: text(v.name) })) } : {}),
    };
  });
}

function ServiceForm({ who, onBack, onFiled }: { who: Who; onBack: () => void; onFiled: (a: CounterAnswer) => void }) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const service = useApi<Matter | Bundle>(
    who.kind === 'bundle' ? catalogPaths.bundle(who.code) : catalogPaths.matter(who.code),
  );
  const elements = useElements();
  const [errors, setErrors] = useState<Err[]>([]);
  const [round, setRound] = useState(0);
  const [sending, setSending] = useState(false);
  // One key per filing, kept across retries: a retried request is not filed twice.
  const key = useMemo(() => crypto.randomUUID(), []);
  const s = service.state === 'ok' ? service.data : undefined;
  const fields = useMemo(() => (s ? fieldsOf(s.form, elements, text) : []), [s, elements, text]);
  if (service.state === 'loading' || !elements) return <Loading />;
  if (service.state === 'error') return <ErrorPage problem={service.problem} />;
  const materials = 'materials' in service.data ? service.data.materials : [];
  const required = new Set(service.data.form.required ?? []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (session.state !== 'signedIn') return;
    const data = new FormData(event.currentTarget);
    const form: Record<string, string | number | boolean | null> = {};
    const found: Err[] = [];
    for (const f of fields) {
      const raw = String(data.get(f.key) ?? '').trim();
      if (raw === '') {
        if (required.has(f.key)) found.push({ field: f.id, key: 'workbench.counter.error.required', about: f.key });
        continue;
      }
      if (f.type === 'integer' || f.type === 'number') {
        const n = Number(raw);
        if (!Number.isFinite(n)) found.push({ field: f.id, key: 'workbench.counter.error.number', about: f.key });
        else form[f.key] = n;
      } else if (f.type === 'boolean') form[f.key] = raw === 'true';
      else form[f.key] = raw;
    }
    const refs = materials
      .map((m, i) => ({ code: m.code, ref: String(data.get(`material-${m.code}`) ?? '').trim(), i, m }))
      .filter((x) => {
        if (x.ref === '' && x.m.required)
          found.push({
            field: `material-${x.i + 1}`,
            key: 'workbench.counter.error.required',
            about: `material:${x.m.code}`,
          });
        return x.ref !== '';
      })
      .map(({ code, ref }) => ({ code, ref }));
    setRound((r) => r + 1);
    setErrors(found);
    if (found.length > 0) return;
    setSending(true);
    try {
      onFiled(
        await api<CounterAnswer>(paths.counter(), {
          locale,
          method: 'POST',
          body: {
            applicant: { idNumber: who.idNumber },
            subject: { kind: who.kind, code: who.code },
            form,
            materials: refs,
          },
          csrf: session.csrf,
          headers: { 'idempotency-key': key },
        }),
      );
    } catch (e) {
      const problem = problemFrom(e);
      const message = problemMessageKey(problem.code, 'workbench');
      const byKey = new Map(fields.map((f) => [`form.${f.key}`, f]));
      const listed = (problem.errors ?? []).map((fe) => {
        const f = byKey.get(fe.field) ?? byKey.get(`form.${fe.field.replace(/^body\.form\./, '')}`);
        return f
          ? { field: f.id, key: 'workbench.counter.error.api' as const, about: f.key, detail: fe.message }
          : { field: fields[0]?.id ?? 'field-1', key: message };
      });
      setRound((r) => r + 1);
      setErrors(
        listed.length > 0
          ? [{ field: fields[0]?.id ?? 'field-1', key: message }, ...listed].filter(
              (x, i, all) => all.findIndex((y) => y.field === x.field && y.key === x.key) === i,
            )
          : [{ field: fields[0]?.id ?? 'field-1', key: message }],
      );
    } finally {
      setSending(false);
    }
  };
  const labelOf = (about: string) => {
    if (about.startsWith('material:')) {
      const m = materials.find((x) => `material:${x.code}` === about);
      return m ? text(m.name) : about;
    }
    return fields.find((f) => f.key === about)?.label ?? about;
  };
  const shown = summaryOf(errors, t, labelOf);
  const errorOf = (id: string) => shown.find((e) => e.field === id)?.text;

  return (
    <form className="wb-counter" onSubmit={(e) => void submit(e)} noValidate>
      {errors.length > 0 && <ErrorSummary key={round} errors={shown} />}
      <h2 className="heading-m">{text(service.data.name)}</h2>
      <SummaryList
        rows={[{ key: t('workbench.counter.idNumber'), value: who.idNumber.replace(/^(.{6}).{8}/, '$1********') }]}
      />
      <p className="body">
        <Button variant="secondary" onClick={onBack}>
          {t('workbench.counter.change')}
        </Button>
      </p>
      <h3 className="heading-s">{t('workbench.counter.form')}</h3>
      {fields.map((f) =>
        f.values ? (
          <Select
            key={f.key}
            id={f.id}
            name={f.key}
            label={required.has(f.key) ? f.label : t('workbench.optional', { label: f.label })}
            error={errorOf(f.id)}
            defaultValue=""
            options={[
              { value: '', label: t('workbench.counter.choose') },
              ...f.values.map((v) => ({ value: v.code, label: v.label })),
            ]}
          />
        ) : f.type === 'boolean' ? (
          <Select
            key={f.key}
            id={f.id}
            name={f.key}
            label={required.has(f.key) ? f.label : t('workbench.optional', { label: f.label })}
            error={errorOf(f.id)}
            defaultValue=""
            options={[
              { value: '', label: t('workbench.counter.choose') },
              { value: 'true', label: t('workbench.yes') },
              { value: 'false', label: t('workbench.no') },
            ]}
          />
        ) : (
          <TextInput
            key={f.key}
            id={f.id}
            name={f.key}
            label={required.has(f.key) ? f.label : t('workbench.optional', { label: f.label })}
            error={errorOf(f.id)}
            type={f.type === 'date' ? 'date' : 'text'}
            inputMode={f.type === 'integer' || f.type === 'number' ? 'numeric' : undefined}
            autoComplete="off"
          />
        ),
      )}
      {materials.length > 0 && (
        <>
          <h3 className="heading-s">{t('workbench.counter.materials')}</h3>
          <p className="body">{t('workbench.counter.materials.hint')}</p>
          {materials.map((m, i) => (
            <TextInput
              key={m.code}
              id={`material-${i + 1}`}
              name={`material-${m.code}`}
              label={m.required ? text(m.name) : t('workbench.optional', { label: text(m.name) })}
              error={errorOf(`material-${i + 1}`)}
              autoComplete="off"
            />
          ))}
        </>
      )}
      <Button type="submit" disabled={sending}>
        {t('workbench.counter.submit')}
      </Button>
    </form>
  );
}

function Filed({ answer, onAgain }: { answer: CounterAnswer; onAgain: () => void }) {
  const { t } = useI18n();
  return (
    <>
      <Panel title={t('workbench.counter.filed.title')}>
        {t('workbench.counter.filed.case')}
        <br />
        <strong>{answer.caseNumber ?? answer.id}</strong>
      </Panel>
      <SummaryList
        rows={[
          { key: t('workbench.counter.filed.name'), value: answer.applicant.name },
          { key: t('workbench.counter.idNumber'), value: answer.applicant.idNumber },
        ]}
      />
      <p className="body">{t('workbench.counter.filed.next')}</p>
      <Button variant="secondary" onClick={onAgain}>
        {t('workbench.counter.again')}
      </Button>
    </>
  );
}
