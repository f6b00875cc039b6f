// 部门: the departments every matter hangs from (GET catalog/departments), and one edited or
// added (PUT catalog/departments/:code).
import { useState, type FormEvent } from 'react';
import type { DepartmentView } from '@tongban/contracts';
import { BackLink } from '../components/BackLink.tsx';
import { Button, ButtonLink } from '../components/Button.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { Select } from '../components/Select.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { useRouter } from '../lib/router.tsx';
import { usePageTitle } from '../lib/title.ts';
import { enc, useFresh, useSend } from './data.ts';
import { fieldErrors, ProblemNote, useFieldWords, useLabelled } from './bits.tsx';

export function Departments() {
  const { t, text } = useI18n();
  usePageTitle(t('console.departments.title'));
  const list = useFresh<DepartmentView[]>('catalog/departments');
  const { location } = useRouter();
  const saved = location.query.get('saved');
  return (
    <>
      {saved && (
        <NotificationBanner type="success" title={t('console.saved')}>
          <p className="body">{t('console.departments.saved', { code: saved })}</p>
        </NotificationBanner>
      )}
      <h1 className="heading-l">{t('console.departments.title')}</h1>
      <ButtonLink href="/console/departments/new" variant="secondary">
        {t('console.departments.add')}
      </ButtonLink>
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ProblemNote problem={list.problem} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('console.departments.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console.departments.name')}</th>
                <th scope="col">{t('console.departments.code')}</th>
                <th scope="col">{t('console.departments.region')}</th>
                <th scope="col">{t('console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((d) => (
                <tr key={d.code}>
                  <th scope="row">{text(d.name)}</th>
                  <td>{d.code}</td>
                  <td>{d.regionCode}</td>
                  <td>
                    <Link href={`/console/departments/${enc(d.code)}`}>
                      {t('console.edit')}
                      <span className="visually-hidden"> {text(d.name)}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function DepartmentEdit({ params }: { params: Record<string, string> }) {
  const code = params['code'] ?? '';
  const isNew = code === 'new';
  const list = useFresh<DepartmentView[]>('catalog/departments');
  if (list.state === 'loading') return <Loading />;
  if (list.state === 'error') return <ProblemNote problem={list.problem} />;
  const current = isNew ? undefined : list.data.find((d) => d.code === code);
  return <DepartmentForm key={code} isNew={isNew} code={code} current={current} all={list.data} />;
}

function DepartmentForm({
  isNew,
  code,
  current,
  all,
}: {
  isNew: boolean;
  code: string;
  current: DepartmentView | undefined;
  all: DepartmentView[];
}) {
  const { t, text } = useI18n();
  const { navigate } = useRouter();
  const send = useSend();
  const words = useFieldWords();
  const labelled = useLabelled();
  const heading = isNew ? t('console.departments.new') : current ? text(current.name) : code;
  usePageTitle(heading);
  const [values, setValues] = useState({
    code: isNew ? '' : code,
    zh: current?.name.zh ?? '',
    en: current?.name.en ?? '',
    regionCode: current?.regionCode ?? '330100',
    parentCode: current?.parentCode ?? '',
  });
  const [errors, setErrors] = useState<{ byInput: Record<string, string>; summary: SummaryError[] }>({
    byInput: {},
    summary: [],
  });
  const [round, setRound] = useState(0);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof values) => (e: { currentTarget: { value: string } }) =>
    setValues({ ...values, [k]: e.currentTarget.value });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const target = values.code.trim();
    if (isNew && !/^[0-9A-Za-z-]{2,40}$/.test(target)) {
      setErrors({
        byInput: { code: t('console.departments.codeInvalid') },
        summary: [{ field: 'code', text: t('console.departments.codeInvalid') }],
      });
      setRound((r) => r + 1);
      return;
    }
    setBusy(true);
    const result = await send(`catalog/departments/${enc(target)}`, 'PUT', {
      regionCode: values.regionCode.trim(),
      name: { zh: values.zh.trim(), en: values.en.trim() },
      ...(values.parentCode ? { parentCode: values.parentCode } : {}),
    });
    setBusy(false);
    if (result.ok) {
      navigate(`/console/departments?saved=${enc(target)}`);
      return;
    }
    const mapped = fieldErrors(
      result.problem,
      (field) => {
        const f = field.replace(/^body\./, '');
        if (f === 'name.zh') return 'name-zh';
        if (f === 'name.en') return 'name-en';
        if (f === 'name') return 'name-zh';
        return ['regionCode', 'parentCode'].includes(f) ? f : f.startsWith('params') ? 'code' : '';
      },
      words,
      isNew ? 'code' : 'name-zh',
      labelled,
    );
    if (mapped.summary.length === 0)
      mapped.summary.push({ field: 'name-zh', text: words(result.problem.code, t('errors.generic')) });
    setErrors(mapped);
    setRound((r) => r + 1);
  };

  return (
    <>
      <BackLink href="/console/departments">{t('console.departments.back')}</BackLink>
      {errors.summary.length > 0 && <ErrorSummary key={round} errors={errors.summary} />}
      <span className="caption">{t('console.departments.caption')}</span>
      <h1 className="heading-l">{heading}</h1>
      <form onSubmit={save} noValidate>
        {isNew ? (
          <TextInput
            id="code"
            label={t('console.departments.code')}
            hint={t('console.departments.codeHint')}
            value={values.code}
            onChange={set('code')}
            error={errors.byInput['code']}
            autoComplete="off"
            spellCheck={false}
          />
        ) : (
          <p className="body">{t('console.departments.codeIs', { code })}</p>
        )}
        <TextInput
          id="name-zh"
          label={t('console.name.zh')}
          value={values.zh}
          onChange={set('zh')}
          error={errors.byInput['name-zh']}
          lang="zh-CN"
        />
        <TextInput
          id="name-en"
          label={t('console.name.en')}
          value={values.en}
          onChange={set('en')}
          error={errors.byInput['name-en']}
          lang="en"
        />
        <TextInput
          id="regionCode"
          label={t('console.departments.region')}
          hint={t('console.departments.regionHint')}
          value={values.regionCode}
          onChange={set('regionCode')}
          error={errors.byInput['regionCode']}
          inputMode="numeric"
          className="input--width-10"
        />
        <Select
          id="parentCode"
          label={t('console.departments.parent')}
          value={values.parentCode}
          onChange={set('parentCode')}
          error={errors.byInput['parentCode']}
          options={[
            { value: '', label: t('console.departments.noParent') },
            ...all.filter((d) => d.code !== code).map((d) => ({ value: d.code, label: text(d.name) })),
          ]}
        />
        <Button type="submit" disabled={busy}>
          {t('console.save')}
        </Button>
      </form>
    </>
  );
}
