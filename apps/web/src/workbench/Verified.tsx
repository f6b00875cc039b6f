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
import { useElements } from './elements.ts';
import { paths, type QueryAnswer, type Revealed, type TaskPage } from './types.ts';

export const REGISTER = 'population';
/** What an officer handling a case asks of the register about a person the form names. */
export const REGISTER_ITEMS = ['name', 'gender', 'birthDate', 'householdAddress', 'mobile'] as const;
/** The people a form names by ID number, each looked up in the register on its own. */
const PEOPLE = [
  { element: 'person.idNumber', who: 'applicant' },
  { element: 'mother.idNumber', who: 'mother' },
  { element: 'father.idNumber', who: 'father' },
] as const;
type Who = (typeof PEOPLE)[number]['who'];

/** A value the hub's policy hid part of (110101********1234, 138****5678, 浙江省杭州市西湖区****). */
export const isMasked = (value: unknown) => typeof value === 'string' && value.includes('*');

export function VerifiedData({ page }: { page: TaskPage }) {
  const { t } = useI18n();
  const { task, application: app } = page;
  const matter = useApi<Matter>(catalogPaths.matter(task.matterCode, task.matterVersion));
  const m = matter.state === 'ok' ? matter.data : undefined;
  const elementOf = (k: string) => (m?.form.properties[k]?.['x-data-element'] as string | undefined) ?? k;
  const named = PEOPLE.flatMap(({ element, who }) => {
    const key = page.fields.find((k) => elementOf(k) === element);
    const value = key ? app.form[key] : undefined;
    return typeof value === 'string' && value !== '' ? [{ who, idNumber: value }] : [];
  });
  // One person named twice (the applicant is the father) is looked up once.
  const people = named.filter((p, i) => named.findIndex((q) => q.idNumber === p.idNumber) === i);

  return (
    <section aria-labelledby="verified-heading">
      <h2 className="heading-m" id="verified-heading">
        {t('workbench.verified.heading')}
      </h2>
      <p className="body">{t('workbench.verified.body')}</p>
      {people.length === 0 ? (
        <p className="body inset">{t('workbench.verified.noId')}</p>
      ) : (
        people.map((p) => <Person key={p.who} who={p.who} idNumber={p.idNumber} purpose={task.matterCode} />)
      )}
    </section>
  );
}

function Person({ who, idNumber, purpose }: { who: Who; idNumber: string; purpose: string }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const [answer, setAnswer] = useState<QueryAnswer | null>(null);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [asking, setAsking] = useState(false);

  const lookUp = async () => {
    if (session.state !== 'signedIn') return;
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
      setProblem(problemMessageKey(problemFrom(e).code, 'workbench'));
    } finally {
      setAsking(false);
    }
  };

  return (
    <div className="wb-person">
      <h3 className="heading-s">{t(`workbench.verified.${who}`)}</h3>
      {answer === null ? (
        <>
          {problem && (
            <p className="body inset wb-problem" role="alert">
              {t(problem)}
            </p>
          )}
          <Button variant="secondary" onClick={() => void lookUp()} disabled={asking}>
            {t(`workbench.verified.lookUp.${who}`)}
          </Button>
        </>
      ) : answer.rows.length === 0 ? (
        <p className="body inset">{t('workbench.verified.none')}</p>
      ) : (
        <Record answer={answer} idNumber={idNumber} purpose={purpose} who={who} />
      )}
    </div>
  );
}

/** The register's coded items in words, by the data element that carries the same codes. */
const CODED: Record<string, string> = { gender: 'person.gender' };

function Record({
  answer,
  idNumber,
  purpose,
  who,
}: {
  answer: QueryAnswer;
  idNumber: string;
  purpose: string;
  who: Who;
}) {
  const { t, date, text } = useI18n();
  const elements = useElements();
  const row = answer.rows[0]!;
  const words = (item: string, value: string | number | null) => {
    const coded = CODED[item] ? elements?.get(CODED[item])?.values?.find((v) => v.code === String(value)) : undefined;
    return coded ? text(coded.name) : value;
  };
  return (
    <>
      <p className="body secondary-text">
        {t('workbench.verified.meta', { date: date(row.collectedAt), policy: answer.policy })}
      </p>
      <SummaryList
        rows={REGISTER_ITEMS.filter((item) => item in row.values).map((item) => ({
          key: t(`workbench.register.${item}` as MessageKey),
          value: (
            <Value
              item={item}
              value={words(item, row.values[item] ?? null)}
              idNumber={idNumber}
              purpose={purpose}
              who={who}
            />
          ),
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
  who,
}: {
  item: string;
  value: string | number | null;
  idNumber: string;
  purpose: string;
  who: Who;
}) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<MessageKey | null>(null);
  const [round, setRound] = useState(0);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const id = `reveal-${who}-${item}`;
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
      setError('workbench.reveal.error.reason');
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
      setError(problemMessageKey(problemFrom(e).code, 'workbench'));
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
          {error && <ErrorSummary key={round} errors={[{ field: id, text: t(error) }]} />}
          <Textarea
            id={id}
            name="reason"
            label={t('workbench.reveal.reason', { item: t(`workbench.register.${item}` as MessageKey) })}
            hint={t('workbench.reveal.reason.hint')}
            error={error ? t(error) : undefined}
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
