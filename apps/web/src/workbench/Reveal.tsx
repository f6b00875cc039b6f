// 查看明文, one value at a time: a masked value with a "Reveal" button that opens a reason field
// (at least 5 characters, checked here first and again by the API), then the whole value and a
// note that the view was logged. Shared by the register's values (Verified.tsx, revealed by the
// data hub) and the form's answers (Case.tsx, revealed by the workflow): the caller says how.
import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '../components/Button.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';

type Shown = string | number | null;

export function RevealValue({
  id,
  what,
  masked,
  reveal,
}: {
  /** The reason field's id: unique on the page. */
  id: string;
  /** What the value is, in words (for the button's hidden text and the reason's label). */
  what: string;
  /** The value as the server masked it. */
  masked: string;
  /** Asks the server for the whole value with the reason (csrf from the session). */
  reveal: (reason: string, csrf: string) => Promise<Shown>;
}) {
  const { t } = useI18n();
  const { session } = useSession();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<MessageKey | null>(null);
  const [round, setRound] = useState(0);
  const [revealed, setRevealed] = useState<{ value: Shown } | null>(null);
  // The button that opened the form is gone: the keyboard continues in the reason field.
  useEffect(() => {
    if (open) document.getElementById(id)?.focus();
  }, [open, id]);

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
      setRevealed({ value: await reveal(text, session.csrf) });
    } catch (e) {
      setError(problemMessageKey(problemFrom(e).code, 'workbench'));
    }
  };

  return (
    <>
      <span className="wb-masked">{masked}</span>{' '}
      {!open ? (
        <Button variant="secondary" className="wb-inline-button" onClick={() => setOpen(true)}>
          {t('workbench.reveal.button')}
          <span className="visually-hidden"> {what}</span>
        </Button>
      ) : (
        <form className="wb-reveal" onSubmit={(e) => void submit(e)} noValidate>
          {error && <ErrorSummary key={round} errors={[{ field: id, text: t(error) }]} />}
          <Textarea
            id={id}
            name="reason"
            label={t('workbench.reveal.reason', { item: what })}
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
