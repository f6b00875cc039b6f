// 指派: a department lead assigns (or reassigns) a task to an officer of the department
// (POST workflow/tasks/:id/assign — the API allows it to the 'lead' role only; others never see this form).
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';
import { paths, type Task } from './types.ts';
import { summaryOf, type Err } from './words.ts';

export function AssignForm({ task, onDone }: { task: Task; onDone: () => void }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const [assignee, setAssignee] = useState(task.assignee ?? '');
  const [errors, setErrors] = useState<Err[]>([]);
  const [round, setRound] = useState(0);
  const shown = summaryOf(errors, t);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setRound((r) => r + 1);
    const who = assignee.trim();
    if (!who) {
      setErrors([{ field: 'assignee', key: 'workbench.assign.error.missing' }]);
      return;
    }
    if (session.state !== 'signedIn') return;
    setErrors([]);
    try {
      await api(paths.assign(task.id), {
        locale,
        method: 'POST',
        csrf: session.csrf,
        body: { version: task.version, assignee: who },
      });
      onDone();
    } catch (e) {
      setErrors([{ field: 'assignee', key: problemMessageKey(problemFrom(e).code, 'workbench') }]);
    }
  };

  return (
    <section aria-labelledby="assign-heading" className="wb-act">
      <h2 className="heading-m" id="assign-heading">
        {t('workbench.assign.heading')}
      </h2>
      {shown.length > 0 && <ErrorSummary key={round} errors={shown} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextInput
          id="assignee"
          name="assignee"
          label={t('workbench.assign.label')}
          hint={t('workbench.assign.hint')}
          error={shown[0]?.text}
          value={assignee}
          maxLength={128}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setAssignee(e.currentTarget.value)}
        />
        <Button type="submit" variant="secondary">
          {t('workbench.assign.submit')}
        </Button>
      </form>
    </section>
  );
}
