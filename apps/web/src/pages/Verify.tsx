import { useCallback, useState, type FormEvent } from 'react';
import type { VerificationView } from '@tongban/contracts';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { Tag } from '../components/Tag.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { cleanScanCode } from '../lib/scan-code.ts';
import { usePageTitle } from '../lib/title.ts';
import { VerifyScan } from './VerifyScan.tsx';

/** A reason's words: each has its own (verify.reason.<code>), an unknown one the general words. */
function reasonKey(reason: string | undefined, t: (key: MessageKey) => string): string {
  const key = `verify.reason.${reason ?? 'unknown'}` as MessageKey;
  const words = t(key);
  return words === key ? t('verify.reason.unknown') : words;
}

/**
 * /verify: anyone checks a licence's scan code (扫码核验) — pasted, or read by a scanner that types
 * it — and is told in plain words whether it holds: signature, issuer, validity and status.
 */
export default function Verify() {
  const { t, text, locale } = useI18n();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<VerificationView>();
  const [busy, setBusy] = useState(false);
  const title = t('verify.title');
  usePageTitle(title, error !== undefined);

  const check = useCallback(
    async (input: string) => {
      setResult(undefined);
      const given = cleanScanCode(input);
      if (given === '') {
        setError(t('verify.error.empty'));
        setAttempt((n) => n + 1);
        return;
      }
      setBusy(true);
      try {
        setResult(await api<VerificationView>('licenses/verify', { locale, method: 'POST', body: { code: given } }));
        setError(undefined);
      } catch (e) {
        setError(t(problemMessageKey(problemFrom(e).code)));
        setAttempt((n) => n + 1);
      } finally {
        setBusy(false);
      }
    },
    [locale, t],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void check(code);
  };
  // A code read from the camera or an image is shown in the box and checked at once.
  const scanned = useCallback(
    (read: string) => {
      setCode(read);
      void check(read);
    },
    [check],
  );

  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(locale) : t('verify.noEnd'));
  const age = (seconds: number) =>
    seconds < 120
      ? t('verify.age.seconds', { count: seconds })
      : t('verify.age.minutes', { count: Math.round(seconds / 60) });

  return (
    <>
      {error && <ErrorSummary key={attempt} errors={[{ field: 'code', text: error }]} />}
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('verify.lead')}</p>
      <VerifyScan onCode={scanned} />
      <form onSubmit={submit} noValidate>
        <Textarea
          id="code"
          label={t('verify.code')}
          hint={t('verify.code.hint')}
          error={error}
          value={code}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setCode(e.currentTarget.value)}
        />
        <Button type="submit" disabled={busy}>
          {t('verify.submit')}
        </Button>
      </form>
      <div role="status" aria-live="polite">
        {result && (
          <section
            aria-labelledby="verify-result"
            className={result.valid ? 'verify verify--valid' : 'verify verify--invalid'}
          >
            <h2 className="heading-m" id="verify-result">
              {result.valid ? t('verify.valid') : t('verify.invalid')}
            </h2>
            {!result.valid && <p className="body">{reasonKey(result.reason, t)}</p>}
            {result.licence && (
              <SummaryList
                rows={[
                  {
                    key: t('verify.licence.type'),
                    value: result.licence.typeName ? text(result.licence.typeName) : result.licence.type,
                  },
                  {
                    key: t('verify.licence.identifier'),
                    value: <code className="secret">{result.licence.identifier}</code>,
                  },
                  { key: t('verify.licence.holder'), value: result.licence.holder },
                  {
                    key: t('verify.licence.validity'),
                    value: t('verify.licence.validityRange', {
                      from: date(result.licence.validFrom),
                      until: date(result.licence.validUntil),
                    }),
                  },
                  {
                    key: t('verify.licence.issuer'),
                    value: result.licence.issuer.name ? text(result.licence.issuer.name) : result.licence.issuer.id,
                  },
                  ...(result.status
                    ? [
                        {
                          key: t('verify.status'),
                          value: (
                            <>
                              <Tag>{t(`verify.status.${result.status.state}`)}</Tag>{' '}
                              {t(result.status.fromCache ? 'verify.status.cached' : 'verify.status.fresh', {
                                age: age(result.status.listAgeSeconds),
                              })}
                            </>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            )}
          </section>
        )}
      </div>
    </>
  );
}
