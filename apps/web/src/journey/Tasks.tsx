import { BackLink } from '../components/BackLink.tsx';
import { Link } from '../components/Link.tsx';
import { Tag, type TagColour } from '../components/Tag.tsx';
import { TaskList, type Task } from '../components/TaskList.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { usePageTitle } from '../lib/title.ts';
import type { PageProps } from '../app/table.tsx';
import { WithDraft, type DraftPageProps } from './draft.tsx';
import { consentItems, groupStatus, isEmpty, journeyPaths, materialsNeeded, type GroupStatus } from './model.ts';
import { groupKey } from './words.ts';
import './journey.css';

const STATUS: Record<GroupStatus | 'cannotStart', { key: MessageKey; colour: TagColour }> = {
  verified: { key: 'journey.status.verified', colour: 'green' },
  completed: { key: 'journey.status.completed', colour: 'blue' },
  inProgress: { key: 'journey.status.inProgress', colour: 'yellow' },
  notStarted: { key: 'journey.status.notStarted', colour: 'grey' },
  cannotStart: { key: 'journey.status.cannotStart', colour: 'grey' },
};

/** /apply/<code>/<draft>: the task list — each question group with where it stands, then check and submit. */
export default function TasksPage({ params }: PageProps) {
  return (
    <WithDraft code={params['code'] ?? ''} id={params['id'] ?? ''}>
      {(props) => <Tasks {...props} />}
    </WithDraft>
  );
}

export function materialsDone(props: Pick<DraftPageProps, 'subject' | 'draft'>): boolean {
  const given = new Set(props.draft.materials.filter((m) => !isEmpty(m.ref)).map((m) => m.code));
  return materialsNeeded(props.subject).every((m) => given.has(m.code));
}

function Tasks({ code, subject, groups, draft }: DraftPageProps) {
  const { t, text } = useI18n();
  const title = text(subject.name);
  usePageTitle(title);
  const statuses = groups.map((g) => groupStatus(g, draft.form, draft.prefill));
  const needsMaterials = materialsNeeded(subject).length > 0;
  const matDone = materialsDone({ subject, draft });
  const tag = (s: GroupStatus | 'cannotStart') => <Tag colour={STATUS[s].colour}>{t(STATUS[s].key)}</Tag>;
  const tasks: Task[] = groups.map((g, i) => ({
    id: `task-${g.id}`,
    title: t(groupKey(g.id)),
    href: journeyPaths.group(code, draft.id, g.id),
    status: tag(statuses[i]!),
  }));
  if (needsMaterials)
    tasks.push({
      id: 'task-materials',
      title: t('journey.materials.title'),
      href: journeyPaths.materials(code, draft.id),
      status: tag(matDone ? 'completed' : draft.materials.length ? 'inProgress' : 'notStarted'),
    });
  const done =
    statuses.filter((s) => s === 'verified' || s === 'completed').length + (needsMaterials && matDone ? 1 : 0);
  const all = tasks.length;
  const ready = done === all;
  const pendingConsent = consentItems(draft.prefill).length > 0;
  return (
    <>
      <BackLink href={journeyPaths.start(code)}>{t('journey.back')}</BackLink>
      <span className="caption">{t('journey.tasks.caption')}</span>
      <h1 className="heading-l">{title}</h1>
      <p className="body" id="progress">
        {t('journey.tasks.progress', { done, all })}
      </p>
      {pendingConsent && (
        <p className="body">
          <Link href={journeyPaths.consent(code, draft.id)}>{t('journey.tasks.consent')}</Link>
        </p>
      )}
      <h2 className="heading-m">{t('journey.tasks.questions')}</h2>
      <TaskList tasks={tasks} />
      <h2 className="heading-m">{t('journey.tasks.submit')}</h2>
      <TaskList
        tasks={[
          {
            id: 'task-check',
            title: t('journey.check.title'),
            ...(ready ? { href: journeyPaths.check(code, draft.id) } : {}),
            status: tag(ready ? 'notStarted' : 'cannotStart'),
          },
        ]}
      />
      <p className="body secondary-text">{t('journey.tasks.saved')}</p>
    </>
  );
}
