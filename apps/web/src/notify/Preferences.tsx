import './messages.ts';
import type { PreferencesView } from '@tongban/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { Checkboxes, Radios } from '../components/Choices.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useFresh } from '../lib/useApi.ts';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import {
  fieldErrorKey,
  fromForm,
  GROUPS,
  inputIds,
  inputOfField,
  toForm,
  type OptionalChannel,
  type PrefsForm,
} from './prefs.ts';
import '../journey/journey.css';
import './notify.css';

const PATH = 'notify/me/preferences';

/**
 * /settings/notifications: 消息设置 — per group of notices, SMS and e-mail besides the inbox (always
 * on), quiet hours, the language of notices and the e-mail address; the mobile shown, not changed.
 */
export default function Preferences() {
  const { t } = useI18n();
  const title = t('notify.prefs.title');
  usePageTitle(title);
  const prefs = useFresh<PreferencesView>(PATH); // signed out: sent to sign in, and back
  if (prefs.state === 'error') return <ErrorPage problem={prefs.problem} />;
  return (
    <>
      {prefs.state === 'loading' ? (
        <>
          <h1 className="heading-l">{title}</h1>
          <Loading />
        </>
      ) : (
        <PreferencesForm view={prefs.data} title={title} />
      )}
    </>
  );
}

function PreferencesForm({ view: initial, title }: { view: PreferencesView; title: string }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const [view, setView] = useState(initial);
  const [form, setForm] = useState<PrefsForm>(() => toForm(initial));
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [round, setRound] = useState(0);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const mobile = view.mobile;
  const errorOf = (id: string) => errors.find((e) => e.field === id)?.text;
  const fail = (list: SummaryError[]) => {
    setSaved(false);
    setErrors(list);
    setRound((r) => r + 1);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const result = fromForm(form, mobile !== null);
    if (!result.ok) return fail(result.errors.map((e) => ({ field: e.field, text: t(e.key) })));
    if (session.state !== 'signedIn') return;
    setBusy(true);
    try {
      const answer = await api<PreferencesView>(PATH, {
        locale,
        method: 'PUT',
        body: result.body,
        csrf: session.csrf,
      });
      setView(answer);
      setForm(toForm(answer));
      setErrors([]);
      setSaved(true);
    } catch (error) {
      const problem = problemFrom(error);
      const byInput = new Map<string, string>();
      for (const e of problem.errors ?? []) {
        const id = inputOfField(e.field);
        const key = fieldErrorKey(e.code, id);
        const words = key ? t(key) : t('notify.prefs.error.server');
        byInput.set(id, byInput.has(id) ? `${byInput.get(id) ?? ''} ${words}` : words);
      }
      fail(
        byInput.size
          ? [...byInput.entries()].map(([field, text]) => ({ field, text }))
          : [{ field: inputIds.channels('progress'), text: t(problemMessageKey(problem.code)) }],
      );
    } finally {
      setBusy(false);
    }
  };

  const setChannels = (group: (typeof GROUPS)[number], chosen: string[]) =>
    setForm((f) => ({ ...f, channels: { ...f.channels, [group]: chosen as OptionalChannel[] } }));

  return (
    <>
      {errors.length > 0 && <ErrorSummary key={round} errors={errors} />}
      {saved && (
        <NotificationBanner type="success" title={t('notify.prefs.savedTitle')}>
          <p className="body">{t('notify.prefs.saved')}</p>
        </NotificationBanner>
      )}
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('notify.prefs.lead')}</p>
      <div className="inset">
        <p className="body">{t('notify.prefs.inboxAlways')}</p>
      </div>
      <form onSubmit={(e) => void save(e)} noValidate>
        <h2 className="heading-m">{t('notify.prefs.channels')}</h2>
        {mobile === null && <p className="body">{t('notify.prefs.noMobile')}</p>}
        {GROUPS.map((group) => {
          // Account security goes by SMS whenever a mobile is known: said, not offered as a choice.
          const sms = mobile !== null && group !== 'security';
          const items = [
            ...(sms ? [{ value: 'sms', label: t('notify.prefs.smsTo', { mobile }) }] : []),
            { value: 'email', label: t('notify.prefs.email') },
          ];
          const hint = `${t(`notify.group.${group}.hint` as MessageKey)}${
            group === 'security' && mobile !== null ? ` ${t('notify.prefs.smsAlways')}` : ''
          }`;
          return (
            <Checkboxes
              key={group}
              id={inputIds.channels(group)}
              name={`channels-${group}`}
              legend={t(`notify.group.${group}` as MessageKey)}
              hint={hint}
              error={errorOf(inputIds.channels(group))}
              values={form.channels[group]}
              onChange={(chosen) => setChannels(group, chosen)}
              items={items}
            />
          );
        })}

        <h2 className="heading-m">{t('notify.prefs.contact')}</h2>
        <SummaryList
          rows={[
            {
              key: t('notify.prefs.mobile'),
              value: (
                <>
                  {mobile ?? t('notify.prefs.mobileNone')}
                  <span className="hint"> {t('notify.prefs.mobileHint')}</span>
                </>
              ),
            },
          ]}
        />
        <TextInput
          id={inputIds.email}
          name="email"
          type="email"
          autoComplete="email"
          spellCheck={false}
          label={t('notify.prefs.emailLabel')}
          hint={t('notify.prefs.emailHint')}
          error={errorOf(inputIds.email)}
          value={form.email}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setForm((f) => ({ ...f, email: value }));
          }}
        />

        <Radios
          id={inputIds.quiet}
          name="quiet"
          legend={t('notify.prefs.quiet')}
          hint={t('notify.prefs.quietHint')}
          error={errorOf(inputIds.quiet)}
          value={form.quiet}
          onChange={(v) => setForm((f) => ({ ...f, quiet: v === 'on' ? 'on' : 'off' }))}
          items={[
            { value: 'off', label: t('notify.prefs.quietOff') },
            { value: 'on', label: t('notify.prefs.quietOn') },
          ]}
        />
        {form.quiet === 'on' && (
          <div className="time-range">
            <TextInput
              id={inputIds.quietStart}
              name="quiet-start"
              type="time"
              label={t('notify.prefs.quietStart')}
              hint={t('notify.prefs.timeHint')}
              error={errorOf(inputIds.quietStart)}
              value={form.quietStart}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setForm((f) => ({ ...f, quietStart: value }));
              }}
            />
            <TextInput
              id={inputIds.quietEnd}
              name="quiet-end"
              type="time"
              label={t('notify.prefs.quietEnd')}
              hint={t('notify.prefs.timeHint')}
              error={errorOf(inputIds.quietEnd)}
              value={form.quietEnd}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setForm((f) => ({ ...f, quietEnd: value }));
              }}
            />
          </div>
        )}

        <Radios
          id={inputIds.language}
          name="language"
          legend={t('notify.prefs.language')}
          error={errorOf(inputIds.language)}
          value={form.language}
          onChange={(v) => setForm((f) => ({ ...f, language: v === 'en' ? 'en' : 'zh-CN' }))}
          items={[
            { value: 'zh-CN', label: t('notify.prefs.langZh') },
            { value: 'en', label: t('notify.prefs.langEn') },
          ]}
        />

        <Button type="submit" disabled={busy}>
          {t('notify.prefs.save')}
        </Button>
      </form>
      <p className="body">
        <Link href="/messages">{t('notify.prefs.messagesLink')}</Link>
      </p>
    </>
  );
}
