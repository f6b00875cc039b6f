// The applicant's record in the population register (人口库) as the data hub shows it to an
// officer: POST datahub/resources/population/query under the department's grant for the matter,
// masked by the hub's officer policy (ID numbers, mobiles and addresses partly hidden). Looked up
// only when the officer asks (each read is logged for the person); one masked value is revealed
// at a time with a reason (POST …/records/reveal: rate-limited and logged by the hub).
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { api, problemFrom } from '../lib/api.ts';
import { catalogPaths, type Matter } from '../lib/catalog.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { useApi } from '../lib/useApi.ts';
import { paths, type QueryAnswer, type Revealed, type TaskPage } from './types.ts';

export const REGISTER = 'population';
/** What an officer handling a case asks of the register about the applicant. */
export const REGISTER_ITEMS = ['name', 'gender', 'birthDate', 'householdAddress', 'mobile'] as const;
const APPLICANT_ID = 'person.idNumber';

/** A value the hub's policy hid part of (110101********1234, 138****5678, 浙江省杭州市西湖区****). */
export const isMasked = (value: unknown) => typeof value === 'string' && value.includes('*');

export function VerifiedData({ page }: { page: TaskPage }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const { task, application: app } = page;
  const matter = useApi<Matter>(catalogPaths.matter(task.matterCode, task.matterVersion));
  const [answer, setAnswer] = useState<QueryAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const m = matter.state === 'ok' ? matter.data : undefined;
  const idKey = Object.keys(app.form).find(
    (k) => ((m?.form.properties[k]?.['x-data-element'] as string | undefined) ?? k) === APPLICANT_ID,
  );
  const idNumber = idKey ? app.form[idKey] : undefined;
  const purpose = task.matterCode;

  const lookUp = async () => {
    if (session.state !== 'signedIn' || typeof idNumber !== 'string') return;
    setAsking(true);
    setProblem(null);
    try {
      setAnswer(
        await api<QueryAnswer>(paths.query(REGISTER), {
          locale,
          method: 'POST',
          csrf: session.csrf,
          body: { purpose, items: [...REGISTER_ITEMS], where: { idNumber } },
        }),
      );
    } catch (e) {
      setProblem(t(problemMessageKey(problemFrom(e).code)));
    } finally {
      setAsking(false);
    }
  };

  return (
    <section aria-labelledby="verified-heading">
      <h2 className="heading-m" id="verified-heading">
        {t('workbench.verified.heading')}
      </h2>
      <p className="body">{t('workbench.verified.body')}</p>
      {typeof idNumber !== 'string' ? (
        <p className="body inset">{t('workbench.verified.noId')}</p>
      ) : answer === null ? (
        <>
          {problem && (
            <p className="body inset wb-problem" role="alert">
              {problem}
            </p>
          )}
          <Button variant="secondary" onClick={() => void lookUp()} disabled={asking}>
            {t('workbench.verified.lookUp')}
          </Button>
        </>
      ) : answer.rows.length === 0 ? (
        <p className="body inset">{t('workbench.verified.none')}</p>
      ) : (
        <Record answer={answer} idNumber={idNumber} purpose={purpose} />
      )}
    </section>
  );
}

function Record({ answer, idNumber, purpose }: { answer: QueryAnswer; idNumber: string; purpose: string }) {
  const { t, date } = useI18n();
  const row = answer.rows[0]!;
  return (
    <>
      <p className="body secondary-text">
        {t('workbench.verified.meta', { date: date(row.collectedAt), policy: answer.policy })}
      </p>
      <SummaryList
        rows={REGISTER_ITEMS.filter((item) => item in row.values).map((item) => ({
          key: t(`workbench.register.${item}` as MessageKey),
          value: <Value item={item} value={row.values[item] ?? null} idNumber={idNumber} purpose={purpose} />,
        }))}
      />
    </>
  );
}

function Value({
  item,
  value,
  idNumber,
  purpose,
}: {
  item: string;
  value: string | number | null;
  idNumber: string;
  purpose: string;
}) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const id = `reveal-${item}`;
  const shown = value === null ? t('workbench.verified.omitted') : String(value);
  if (revealed) {
    return (
      <>
        <strong className="wb-revealed">
          {revealed.value === null ? t('workbench.verified.omitted') : String(revealed.value)}
        </strong>
        <p className="body secondary-text" role="status">
          {t('workbench.reveal.logged')}
        </p>
      </>
    );
  }
  if (!isMasked(value)) return <>{shown}</>;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setRound((r) => r + 1);
    const text = reason.trim();
    if ([...text].length < 5) {
      setError(t('workbench.reveal.error.reason'));
      return;
    }
    if (session.state !== 'signedIn') return;
    setError(null);
    try {
      setRevealed(
        await api<Revealed>(paths.reveal(REGISTER), {
          locale,
          method: 'POST',
          csrf: session.csrf,
          body: { purpose, where: { idNumber }, item, reason: text },
        }),
      );
    } catch (e) {
      setError(t(problemMessageKey(problemFrom(e).code)));
    }
  };

  return (
    <>
      <span className="wb-masked">{shown}</span>{' '}
      {!open ? (
        <Button variant="secondary" className="wb-inline-button" onClick={() => setOpen(true)}>
          {t('workbench.reveal.button')}
          <span className="visually-hidden"> {t(`workbench.register.${item}` as MessageKey)}</span>
        </Button>
      ) : (
        <form className="wb-reveal" onSubmit={(e) => void submit(e)} noValidate>
          {error && <ErrorSummary key={round} errors={[{ field: id, text: error }]} />}
          <Textarea
            id={id}
            name="reason"
            label={t('workbench.reveal.reason', { item: t(`workbench.register.${item}` as MessageKey) })}
            hint={t('workbench.reveal.reason.hint')}
            error={error ?? undefined}
            value={reason}
            rows={3}
            maxLength={500}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Button type="submit">{t('workbench.reveal.submit')}</Button>
        </form>
      )}
    </>
  );
}
