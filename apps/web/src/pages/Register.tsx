import { useEffect, useState, type FormEvent } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Button } from '../components/Button.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { Panel } from '../components/Panel.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { api, problemFrom } from '../lib/api.ts';
import { loginUrl, problemMessageKey, type Problem } from '../lib/problem.ts';
import { isMobile, isResidentId, normaliseResidentId } from '../lib/identifiers.ts';
import { useRouter } from '../lib/router.tsx';
import { usePageTitle } from '../lib/title.ts';

/**
 * The registration in progress, in memory only (an ID number is not kept in the browser's
 * storage): the code page asks for the ID number again after a reload.
 */
let pending: { residentId: string; mobile: string } | undefined;

type Errors = Partial<Record<string, string>>;
const order = (errors: Errors, ids: readonly string[]): SummaryError[] =>
  ids.flatMap((field) => (errors[field] ? [{ field, text: errors[field] }] : []));

/** The words for a refusal: registration's own where it has them (an ID already registered…), else the portal's. */
function registerMessageKey(code: string): MessageKey {
  const own = `register.errors.${code}`;
  return (REGISTER_CODES as readonly string[]).includes(code) ? (own as MessageKey) : problemMessageKey(code);
}
const REGISTER_CODES = [
  'IDENTITY_ACCOUNT_EXISTS',
  'IDENTITY_REGISTRATION_PENDING',
  'IDENTITY_INVALID_RESIDENT_ID',
  'IDENTITY_TOO_MANY_CODES',
  'IDENTITY_TOO_MANY_REGISTRATIONS',
  'IDENTITY_SMS_UNAVAILABLE',
  'IDENTITY_WRONG_CODE',
] as const;

/** Field errors the API named (`body.password` …) onto this page's inputs; the rest to `fallback`. */
function fieldErrors(problem: Problem, text: (key: MessageKey) => string, fallback: string): Errors {
  const out: Errors = {};
  for (const e of problem.errors ?? []) {
    const field = e.field.replace(/^body\./, '');
    // The password's problems come in the person's language from identity (what would be accepted).
    if (field === 'password' && problem.code === 'IDENTITY_WEAK_PASSWORD') out.password ??= e.message;
    else if (field === 'code' && problem.code === 'IDENTITY_WRONG_CODE') out.code ??= e.message;
    else if (field === 'residentId' || field === 'name' || field === 'mobile')
      out[field] ??= text(`register.error.${field}`);
  }
  if (Object.keys(out).length === 0) out[fallback] = text(registerMessageKey(problem.code));
  return out;
}

/** /register: a citizen's account, by ID number, name, mobile and a password; confirmed by a text message. */
export default function Register() {
  const { t, locale } = useI18n();
  const { navigate } = useRouter();
  const [values, setValues] = useState({ residentId: '', name: '', mobile: '', password: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const title = t('register.title');
  const summary = order(errors, ['residentId', 'name', 'mobile', 'password']);
  usePageTitle(title, summary.length > 0);
  // The value is read now: React clears the event's currentTarget before a state updater runs.
  const set = (name: keyof typeof values) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [name]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const residentId = normaliseResidentId(values.residentId);
    const found: Errors = {};
    if (!isResidentId(residentId)) found.residentId = t('register.error.residentId');
    if (values.name.trim() === '') found.name = t('register.error.name');
    if (!isMobile(values.mobile.trim())) found.mobile = t('register.error.mobile');
    if (values.password.length < 8) found.password = t('register.error.passwordShort');
    if (Object.keys(found).length === 0) {
      setBusy(true);
      try {
        const body = { residentId, name: values.name.trim(), mobile: values.mobile.trim(), password: values.password };
        await api('identity/register', { locale, method: 'POST', body });
        pending = { residentId, mobile: body.mobile };
        navigate('/register/confirm');
        return;
      } catch (error) {
        Object.assign(found, fieldErrors(problemFrom(error), t, 'residentId'));
      } finally {
        setBusy(false);
      }
    }
    setErrors(found);
    setAttempt((n) => n + 1);
  };

  return (
    <>
      <BackLink href="/">{t('register.back')}</BackLink>
      {summary.length > 0 && <ErrorSummary key={attempt} errors={summary} />}
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('register.lead')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextInput
          id="residentId"
          label={t('register.residentId')}
          hint={t('register.residentId.hint')}
          error={errors.residentId}
          value={values.residentId}
          autoComplete="off"
          spellCheck={false}
          className="input--width-20"
          onChange={set('residentId')}
        />
        <TextInput
          id="name"
          label={t('register.name')}
          hint={t('register.name.hint')}
          error={errors.name}
          value={values.name}
          autoComplete="name"
          className="input--width-20"
          onChange={set('name')}
        />
        <TextInput
          id="mobile"
          label={t('register.mobile')}
          hint={t('register.mobile.hint')}
          error={errors.mobile}
          value={values.mobile}
          type="tel"
          inputMode="numeric"
          autoComplete="tel-national"
          className="input--width-10"
          onChange={set('mobile')}
        />
        <TextInput
          id="password"
          label={t('register.password')}
          hint={t('register.password.hint')}
          error={errors.password}
          value={values.password}
          type="password"
          autoComplete="new-password"
          className="input--width-20"
          onChange={set('password')}
        />
        <Button type="submit" disabled={busy}>
          {t('register.submit')}
        </Button>
      </form>
      <p className="body">
        {t('register.haveAccount')}{' '}
        <a className="link" href={loginUrl('/')}>
          {t('header.signIn')}
        </a>
      </p>
    </>
  );
}

/** The development SMS sink (identity's /dev/sms, absent in production): where the demo's code can be read. */
function useDevSms(mobile: string | undefined, tick: number) {
  const { locale } = useI18n();
  const [text, setText] = useState<string>();
  useEffect(() => {
    if (!mobile) return;
    const abort = new AbortController();
    api<{ items: { text: string }[] }>(`identity/dev/sms?mobile=${encodeURIComponent(mobile)}`, {
      locale,
      signal: abort.signal,
    }).then(
      (r) => setText(r.items[0]?.text),
      () => setText(undefined), // production: no sink, the code went to the phone
    );
    return () => abort.abort();
  }, [mobile, locale, tick]);
  return text;
}

/** /register/confirm: the code sent to the mobile; then the account is active and the person signs in. */
export function Confirm() {
  const { t, locale } = useI18n();
  const [residentId, setResidentId] = useState(pending?.residentId ?? '');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [attempt, setAttempt] = useState(0);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const devSms = useDevSms(pending?.mobile, attempt);
  const title = t(done ? 'register.done.title' : 'register.confirm.title');
  const summary = order(errors, ['confirm-residentId', 'code']);
  usePageTitle(title, summary.length > 0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const id = normaliseResidentId(residentId);
    const found: Errors = {};
    if (!isResidentId(id)) found['confirm-residentId'] = t('register.error.residentId');
    if (!/^\d{6}$/.test(code.trim())) found.code = t('register.error.code');
    if (Object.keys(found).length === 0) {
      setBusy(true);
      try {
        await api('identity/register/confirm', { locale, method: 'POST', body: { residentId: id, code: code.trim() } });
        pending = undefined;
        setDone(true);
        return;
      } catch (error) {
        const problem = problemFrom(error);
        Object.assign(found, fieldErrors(problem, t, 'code'));
      } finally {
        setBusy(false);
      }
    }
    setErrors(found);
    setAttempt((n) => n + 1);
  };

  if (done)
    return (
      <>
        <Panel title={title}>{t('register.done.body')}</Panel>
        <p className="body">
          <a className="button" href={loginUrl('/')}>
            {t('register.done.signIn')}
          </a>
        </p>
      </>
    );
  return (
    <>
      <BackLink href="/register">{t('register.confirm.back')}</BackLink>
      {summary.length > 0 && <ErrorSummary key={attempt} errors={summary} />}
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t(pending ? 'register.confirm.lead' : 'register.confirm.leadAgain')}</p>
      {devSms && (
        <div className="inset" id="dev-sms">
          <h2 className="heading-s">{t('register.devSms.title')}</h2>
          <p className="body">{devSms}</p>
        </div>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate>
        {!pending && (
          <TextInput
            id="confirm-residentId"
            label={t('register.residentId')}
            error={errors['confirm-residentId']}
            value={residentId}
            autoComplete="off"
            className="input--width-20"
            onChange={(e) => setResidentId(e.currentTarget.value)}
          />
        )}
        <TextInput
          id="code"
          label={t('register.code')}
          hint={t('register.code.hint')}
          error={errors.code}
          value={code}
          inputMode="numeric"
          autoComplete="one-time-code"
          className="input--width-10"
          onChange={(e) => setCode(e.currentTarget.value)}
        />
        <Button type="submit" disabled={busy}>
          {t('register.confirm.submit')}
        </Button>
      </form>
    </>
  );
}
