// The applicant's record in the population register (人口库) as the data hub shows it to an
// officer: the data hub's population query under the department's grant for the matter, masked by
// the hub's officer policy (ID numbers, mobiles and addresses partly hidden). The browser holds
// the form's ID numbers masked too, so it names the form field and the workflow asks the hub as
// the officer (POST workflow/tasks/:id/register/query). Looked up only when the officer asks (each
// read is logged for the person); one masked value is revealed at a time with a reason
// (…/register/reveal: rate-limited and logged by the hub).
import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { api, problemFrom } from '../lib/api.ts';
import { catalogPaths, type Matter } from '../lib/catalog.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { useApi } from '../lib/useApi.ts';
import { useElements } from './elements.ts';
import { RevealValue } from './Reveal.tsx';
import { paths, type QueryAnswer, type Revealed, type TaskPage } from './types.ts';

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
  const { task } = page;
  const matter = useApi<Matter>(catalogPaths.matter(task.matterCode, task.matterVersion));
  const m = matter.state === 'ok' ? matter.data : undefined;
  const elementOf = (k: string) => (m?.form.properties[k]?.['x-data-element'] as string | undefined) ?? k;
  const named = PEOPLE.flatMap(({ element, who }) => {
    const field = page.fields.find((k) => elementOf(k) === element);
    return field && page.masked[field]?.mask === 'idNumber' ? [{ who, field }] : [];
  });
  // One person named twice (the applicant is the father) is looked up once: the server says which
  // answers hold the same number.
  const keys = new Set(named.map((p) => p.field));
  const people = named.filter((p) => {
    const same = page.masked[p.field]?.sameAs;
    return same === undefined || !keys.has(same);
  });

  return (
    <section aria-labelledby="verified-heading">
      <h2 className="heading-m" id="verified-heading">
        {t('workbench.verified.heading')}
      </h2>
      <p className="body">{t('workbench.verified.body')}</p>
      {people.length === 0 ? (
        <p className="body inset">{t('workbench.verified.noId')}</p>
      ) : (
        people.map((p) => <Person key={p.who} who={p.who} field={p.field} taskId={task.id} />)
      )}
    </section>
  );
}

function Person({ who, field, taskId }: { who: Who; field: string; taskId: string }) {
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
        await api<QueryAnswer>(paths.registerQuery(taskId), {
          locale,
          method: 'POST',
          csrf: session.csrf,
          body: { field, items: [...REGISTER_ITEMS] },
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
        <Record answer={answer} field={field} taskId={taskId} who={who} />
      )}
    </div>
  );
}

/** The register's coded items in words, by the data element that carries the same codes. */
const CODED: Record<string, string> = { gender: 'person.gender' };

function Record({ answer, field, taskId, who }: { answer: QueryAnswer; field: string; taskId: string; who: Who }) {
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
            <Value item={item} value={words(item, row.values[item] ?? null)} field={field} taskId={taskId} who={who} />
          ),
        }))}
      />
    </>
  );
}

function Value({
  item,
  value,
  field,
  taskId,
  who,
}: {
  item: string;
  value: string | number | null;
  field: string;
  taskId: string;
  who: Who;
}) {
  const { t, locale } = useI18n();
  if (!isMasked(value)) return <>{value === null ? t('workbench.verified.omitted') : String(value)}</>;
  return (
    <RevealValue
      id={`reveal-${who}-${item}`}
      what={t(`workbench.register.${item}` as MessageKey)}
      masked={String(value)}
      reveal={async (reason, csrf) =>
        (
          await api<Revealed>(paths.registerReveal(taskId), {
            locale,
            method: 'POST',
            csrf,
            body: { field, item, reason },
          })
        ).value
      }
    />
  );
}
