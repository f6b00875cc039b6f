// /workbench/tasks/:id — one task as its department's officer sees it (GET workflow/tasks/:id):
// where it stands, claim, the actions the officer's roles allow with their reasons, the part of
// the form this matter uses with its personal identifiers masked by the workflow (an answer
// revealed one at a time, with a reason, logged), its materials (a stored document opens from its
// link), the applicant's registry record as the data hub masks it for officers (a value revealed
// the same way, logged by the hub), and the case history. A task of another department is the API's 403/404: a
// refusal page, never data.
import { useState } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button } from '../components/Button.tsx';
import { Loading } from '../components/Loading.tsx';
import { NotificationBanner } from '../components/NotificationBanner.tsx';
import { SummaryList } from '../components/SummaryList.tsx';
import { Tag } from '../components/Tag.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { Locale, MessageKey } from '../i18n/messages.ts';
import { api, problemFrom } from '../lib/api.ts';
import { catalogPaths, type Matter } from '../lib/catalog.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useApi, useFresh } from '../lib/useApi.ts';
import { DepartmentName } from '../pages/guide.tsx';
import { ErrorPage } from '../pages/ErrorPage.tsx';
import { ActionForm, type Done } from './ActionForm.tsx';
import { AssignForm } from './AssignForm.tsx';
import { DueBadge, MatterName, regionOf, WorkbenchNav } from './parts.tsx';
import { RevealValue } from './Reveal.tsx';
import { paths, type RevealedAnswer, type TaskPage, type TimelineEntry } from './types.ts';
import { useElements, type Elements } from './elements.ts';
import { VerifiedData } from './Verified.tsx';

export function CaseView({ id }: { id: string }) {
  const page = useFresh<TaskPage>(paths.task(id));
  if (page.state === 'loading') return <Loading />;
  if (page.state === 'error') return <Refused problem={page.problem} />;
  return <Case page={page.data} reload={page.reload} />;
}

/** 403 and 404 in words: the task is not this officer's to see (or does not exist). */
function Refused({ problem }: { problem: Problem }) {
  const { t } = useI18n();
  const refused = problem.status === 403 || problem.status === 404;
  usePageTitle(refused ? t('workbench.refused.title') : undefined);
  if (!refused) return <ErrorPage problem={problem} />;
  return (
    <>
      <BackLink href="/workbench">{t('workbench.back')}</BackLink>
      <h1 className="heading-l">{t('workbench.refused.title')}</h1>
      <p className="body">{t(problem.status === 403 ? 'workbench.refused.forbidden' : 'workbench.refused.missing')}</p>
      <p className="body secondary-text">{t('error.code', { code: problem.code })}</p>
    </>
  );
}

function Case({ page, reload }: { page: TaskPage; reload(): void }) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const [done, setDone] = useState<Done | null>(null);
  const [claimError, setClaimError] = useState<MessageKey | null>(null);
  const [claimRound, setClaimRound] = useState(0);
  const { task, application: app } = page;
  const matter = useApi<Matter>(catalogPaths.matter(task.matterCode, task.matterVersion));
  const elements = useElements();
  const title = t('workbench.case.title', { case: app.caseNumber ?? app.id });
  usePageTitle(title);
  const me = session.state === 'signedIn' ? session.user : undefined;
  const mine = task.assignee === me?.id;

  const claim = async () => {
    if (session.state !== 'signedIn') return;
    setClaimError(null);
    try {
      await api(paths.claim(task.id), { locale, method: 'POST', body: { version: task.version }, csrf: session.csrf });
      setDone({ kind: 'claim', state: text(task.stateName) });
    } catch (e) {
      setClaimError(problemMessageKey(problemFrom(e).code, 'workbench'));
      setClaimRound((r) => r + 1);
    }
    reload();
  };

  const m = matter.state === 'ok' ? matter.data : undefined;
  const materialName = (code: string) => {
    const found = m?.materials.find((x) => x.code === code);
    return found ? text(found.name) : code;
  };
  const label = (key: string) => fieldLabel(key, m, elements, text);

  return (
    <>
      <WorkbenchNav counter={me?.roles.includes('counter') ?? false} />
      <BackLink href="/workbench">{t('workbench.back')}</BackLink>
      <span className="caption">
        <MatterName code={task.matterCode} version={task.matterVersion} />
      </span>
      <h1 className="heading-l">{title}</h1>
      {done && (
        <NotificationBanner type="success" title={t('workbench.done.title')}>
          <p className="notification-banner__heading">
            {done.kind === 'claim'
              ? t('workbench.claim.doneHere')
              : done.kind === 'assign'
                ? t('workbench.assign.done')
                : t('workbench.done.body', { action: t(`workbench.action.${done.kind}` as never), state: done.state })}
          </p>
        </NotificationBanner>
      )}
      {claimError && <ErrorSummary key={claimRound} errors={[{ field: 'claim', text: t(claimError) }]} />}

      <h2 className="heading-m">{t('workbench.case.overview')}</h2>
      <SummaryList
        rows={[
          { key: t('workbench.case.state'), value: <Tag colour="blue">{text(task.stateName)}</Tag> },
          {
            key: t('workbench.case.due'),
            value: (
              <DueBadge
                dueOn={task.dueOn}
                deadline={task.deadline}
                region={task.regionCode || regionOf(task.departmentCode)}
                {...(task.paused ? { paused: { remainingDays: task.remainingDays } } : {})}
              />
            ),
          },
          { key: t('workbench.case.department'), value: <DepartmentName code={task.departmentCode} /> },
          {
            key: t('workbench.case.assignee'),
            value:
              task.assignee === null
                ? t('workbench.assignee.none')
                : mine
                  ? t('workbench.assignee.me')
                  : t('workbench.assignee.other'),
          },
          {
            key: t('workbench.case.channel'),
            value: t(app.channel === 'counter' ? 'workbench.channel.counter' : 'workbench.channel.online'),
          },
          ...(app.submittedAt
            ? [{ key: t('workbench.case.submitted'), value: dateTime(app.submittedAt, locale) }]
            : []),
          ...(task.pendingMaterials.length > 0
            ? [{ key: t('workbench.case.pending'), value: task.pendingMaterials.map(materialName).join('、') }]
            : []),
          ...(task.correction
            ? [
                {
                  key: t('workbench.case.correction'),
                  value: (
                    <>
                      <p className="body">{task.correction.reason}</p>
                      <p className="body secondary-text">
                        {[...task.correction.fields.map(label), ...task.correction.materials.map(materialName)].join(
                          '、',
                        )}
                      </p>
                    </>
                  ),
                },
              ]
            : []),
        ]}
      />
      {task.assignee === null && page.actions.length > 0 && (
        <p className="body">
          <Button id="claim" variant="secondary" onClick={() => void claim()}>
            {t('workbench.claim.button')}
          </Button>
        </p>
      )}

      <h2 className="heading-m">{t('workbench.case.answers')}</h2>
      {Object.keys(page.masked).length > 0 && <p className="body">{t('workbench.case.answers.masked')}</p>}
      <Answers
        app={page.application}
        taskId={task.id}
        fields={page.fields}
        masked={page.masked}
        label={label}
        elements={elements}
        matter={m}
      />

      <h2 className="heading-m">{t('workbench.case.materials')}</h2>
      {app.materials.length === 0 ? (
        <p className="body">{t('workbench.case.materials.none')}</p>
      ) : (
        <SummaryList
          rows={app.materials.map((x) => ({
            key: materialName(x.code),
            value:
              x.source === 'licence' && x.identifier ? (
                <LicenceMaterial material={x} />
              ) : (
                <MaterialRef value={x.ref} name={materialName(x.code)} />
              ),
          }))}
        />
      )}

      <VerifiedData page={page} />

      {page.actions.length > 0 && (task.assignee === null || mine) ? (
        <ActionForm
          key={task.version}
          task={task}
          actions={page.actions}
          fields={page.fields}
          materials={m?.materials.map((x) => ({ code: x.code, name: text(x.name) })) ?? []}
          label={label}
          onDone={(d) => {
            setDone(d);
            reload();
          }}
        />
      ) : (
        <p className="body inset">
          {t(task.assignee !== null && !mine ? 'workbench.actions.othersTask' : 'workbench.actions.none')}
        </p>
      )}

      {me?.roles.includes('lead') && page.actions.length > 0 && (
        <AssignForm
          key={`assign-${task.version}`}
          task={task}
          onDone={() => {
            setDone({ kind: 'assign', state: text(task.stateName) });
            reload();
          }}
        />
      )}

      <h2 className="heading-m">{t('workbench.case.history')}</h2>
      <History entries={page.timeline} />
    </>
  );
}

/** A form key's words: its data element's name (a bundle's keys are elements; a matter's name one). */
function fieldLabel(
  key: string,
  matter: Matter | undefined,
  elements: Elements | undefined,
  text: (l: { zh: string; en: string }) => string,
): string {
  const element = (matter?.form.properties[key]?.['x-data-element'] as string | undefined) ?? key;
  const found = elements?.get(element);
  return found ? text(found.name) : key;
}

/**
 * A material as the applicant gave it: a stored document (`doc:<id>`) is a link that opens or
 * downloads it in this tab; a licence identifier (免证办) or a counter's file number is shown as is.
 */
function MaterialRef({ value, name }: { value: string; name: string }) {
  const { t } = useI18n();
  if (!value.startsWith('doc:') || value.length === 4) return <code className="wb-ref">{value}</code>;
  return (
    <a className="link" href={paths.document(value.slice(4))} download>
      {t('workbench.case.materials.open')}
      <span className="visually-hidden"> {name}</span>
    </a>
  );
}

/**
 * An electronic licence standing in for a material (免证办): the licences module vouched for it, so
 * it is shown as verified with its identifier, not as a file to open; one suspended, revoked or
 * expired since says so, and the officer may ask for the material again (补正).
 */
function LicenceMaterial({ material }: { material: TaskPage['application']['materials'][number] }) {
  const { t, text } = useI18n();
  const status = material.licence?.status ?? 'valid';
  return (
    <span className="wb-licence">
      {material.verified ? (
        <strong className="wb-licence__verified">{t('workbench.case.materials.licenceVerified')}</strong>
      ) : (
        <strong className="wb-licence__lapsed">
          {t('workbench.case.materials.licenceLapsed', { status: t(licenceStatusKey(status)) })}
        </strong>
      )}
      {material.typeName && <span> {text(material.typeName)}</span>}
      <br />
      <span className="hint">{t('workbench.case.materials.licenceIdentifier')} </span>
      <code className="wb-ref">{material.identifier}</code>
      {material.licence?.origin === 'case' && (
        <>
          <br />
          <span className="hint">{t('workbench.case.materials.licenceFromCase')}</span>
        </>
      )}
    </span>
  );
}

const LICENCE_STATUS_KEYS = {
  suspended: 'workbench.case.materials.licence.suspended',
  revoked: 'workbench.case.materials.licence.revoked',
  'penalty-revoked': 'workbench.case.materials.licence.revoked',
  expired: 'workbench.case.materials.licence.expired',
  cancelled: 'workbench.case.materials.licence.revoked',
} as const;
const licenceStatusKey = (status: string) =>
  LICENCE_STATUS_KEYS[status as keyof typeof LICENCE_STATUS_KEYS] ?? 'workbench.case.materials.licence.revoked';

function Answers({
  app,
  taskId,
  fields,
  masked,
  label,
  elements,
  matter,
}: {
  app: TaskPage['application'];
  taskId: string;
  fields: string[];
  masked: TaskPage['masked'];
  label: (key: string) => string;
  elements: Elements | undefined;
  matter: Matter | undefined;
}) {
  const { t, text, date, number, locale } = useI18n();
  const keys = fields.filter((k) => k in app.form);
  if (keys.length === 0) return <p className="body">{t('workbench.case.answers.none')}</p>;
  const show = (key: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return t('workbench.case.answers.empty');
    const element = elements?.get((matter?.form.properties[key]?.['x-data-element'] as string | undefined) ?? key);
    if (element?.values) {
      const v = element.values.find((x) => x.code === String(value));
      if (v) return text(v.name);
    }
    if (element?.type === 'date' && typeof value === 'string') return date(`${value}T12:00:00+08:00`);
    if (typeof value === 'number') return number(value);
    if (typeof value === 'boolean') return t(value ? 'workbench.yes' : 'workbench.no');
    return String(value);
  };
  return (
    <SummaryList
      rows={keys.map((key) => {
        const source = app.prefill?.fields[key];
        return {
          key: label(key),
          value: (
            <>
              {masked[key] ? (
                <RevealValue
                  id={`reveal-answer-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`}
                  what={label(key)}
                  masked={String(app.form[key])}
                  reveal={async (reason, csrf) =>
                    (
                      await api<RevealedAnswer>(paths.revealAnswer(taskId), {
                        locale,
                        method: 'POST',
                        csrf,
                        body: { field: key, reason },
                      })
                    ).value
                  }
                />
              ) : (
                show(key, app.form[key])
              )}
              {source && (
                <span className="wb-source">
                  {' '}
                  <Tag colour={source.verified ? 'green' : 'grey'}>
                    {t(source.verified ? 'workbench.source.verified' : 'workbench.source.prefilled')}
                  </Tag>{' '}
                  <span className="secondary-text">
                    {t('workbench.source.from', {
                      resource: source.source.resource,
                      date: date(source.source.collectedAt),
                    })}
                  </span>
                </span>
              )}
            </>
          ),
        };
      })}
    />
  );
}

export function dateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(
    new Date(iso),
  );
}

function History({ entries }: { entries: TimelineEntry[] }) {
  const { t, text, locale } = useI18n();
  if (entries.length === 0) return <p className="body">{t('workbench.history.none')}</p>;
  return (
    <ol className="wb-history">
      {[...entries].reverse().map((e) => (
        <li className="wb-history__item" key={e.seq}>
          <p className="body wb-history__what">
            <strong>{text(e.actionName)}</strong>
            {e.at && <span className="secondary-text"> · {dateTime(e.at, locale)}</span>}
          </p>
          <p className="body secondary-text">
            {t(
              `workbench.actor.${e.actor.kind === 'applicant' || e.actor.kind === 'officer' ? e.actor.kind : 'system'}`,
            )}
            {e.rule && ` · ${t('workbench.history.rule', { rule: e.rule })}`}
          </p>
          {e.reason && <p className="body wb-history__reason">{t('workbench.history.reason', { reason: e.reason })}</p>}
        </li>
      ))}
    </ol>
  );
}
