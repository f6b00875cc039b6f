import { useEffect, useRef, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { describedBy, ErrorMessage, Hint } from '../components/Field.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { useSession } from '../lib/session.tsx';
import { ACCEPT, announcedStep, precheck, sizeText, type DocumentView } from './upload.ts';
import { uploadDocument } from './upload-request.ts';

interface Props {
  /** The material's field id (materialId): the file input is `<id>-file`. */
  readonly id: string;
  /** The material's name in the page's language. */
  readonly name: string;
  /** The upload attached to the material, when there is one (its details once known). */
  readonly attached: { ref: string; doc?: DocumentView | undefined } | undefined;
  /** The error shown at the file input (and in the page's error summary). */
  readonly error: string | undefined;
  onAttach(doc: DocumentView | undefined): void;
  /** A problem code of the upload (undefined clears it). */
  onProblem(code: string | undefined): void;
  onBusy(busy: boolean): void;
}

/**
 * One material's file: choose it, watch it upload (a labelled <progress> and a polite status at
 * steps of 25 %), cancel; once stored, its name and size and one action to remove or replace it.
 */
export function MaterialUpload({ id, name, attached, error, onAttach, onProblem, onBusy }: Props) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const [progress, setProgress] = useState<{ file: string; percent: number } | null>(null);
  const [status, setStatus] = useState('');
  const abort = useRef<AbortController | null>(null);
  const announced = useRef(-1);
  const fileInput = useRef<HTMLInputElement>(null);
  const done = useRef<HTMLDivElement>(null);
  const focusNext = useRef<'file' | 'done' | null>(null);
  const fileId = `${id}-file`;
  const hint = t('journey.upload.hint');

  // Leaving the page cancels an upload in flight.
  useEffect(() => () => abort.current?.abort(), []);
  // Where focus goes once the control it was on is gone: the stored file, or the file input again.
  useEffect(() => {
    if (focusNext.current === 'file' && fileInput.current) fileInput.current.focus();
    if (focusNext.current === 'done' && done.current) done.current.focus();
    focusNext.current = null;
  });

  const start = async (file: File) => {
    onProblem(undefined);
    const refused = precheck(file);
    if (refused) {
      onProblem(refused);
      if (fileInput.current) fileInput.current.value = '';
      return;
    }
    if (session.state !== 'signedIn') return;
    const controller = new AbortController();
    abort.current = controller;
    announced.current = 0;
    setProgress({ file: file.name, percent: 0 });
    setStatus(t('journey.upload.progress', { percent: 0 }));
    onBusy(true);
    try {
      const doc = await uploadDocument(file, {
        locale,
        csrf: session.csrf,
        signal: controller.signal,
        onProgress: (fraction) => {
          setProgress({ file: file.name, percent: Math.floor(fraction * 100) });
          const step = announcedStep(fraction);
          if (step !== announced.current) {
            announced.current = step;
            setStatus(t('journey.upload.progress', { percent: step }));
          }
        },
      });
      setStatus(t('journey.upload.done', { file: doc.name }));
      focusNext.current = 'done';
      onAttach(doc);
    } catch (e) {
      focusNext.current = 'file';
      if (e instanceof DOMException && e.name === 'AbortError') setStatus(t('journey.upload.cancelled'));
      else {
        setStatus('');
        onProblem(problemFrom(e).code);
      }
    } finally {
      abort.current = null;
      setProgress(null);
      onBusy(false);
    }
  };

  const remove = () => {
    const ref = attached?.ref ?? '';
    const fileName = attached?.doc?.name ?? '';
    // An upload no application names yet is deleted; one that cannot be (already submitted) or a
    // failed call is only detached: an unused upload lapses on its own.
    if (session.state === 'signedIn' && ref.startsWith('doc:'))
      void api(`workflow/documents/${encodeURIComponent(ref.slice(4))}`, {
        locale,
        method: 'DELETE',
        csrf: session.csrf,
      }).catch(() => undefined);
    setStatus(t('journey.upload.removed', { file: fileName }));
    focusNext.current = 'file';
    onAttach(undefined);
  };

  return (
    <>
      {attached ? (
        <div className="upload-done" tabIndex={-1} ref={done}>
          <p className="body">
            <span className="upload-done__label">{t('journey.upload.uploaded')}</span>{' '}
            <strong className="upload-done__file">
              {attached.doc
                ? t('journey.upload.file', { file: attached.doc.name, size: sizeText(attached.doc.size, locale) })
                : attached.ref}
            </strong>
          </p>
          <Button variant="secondary" className="button--small" onClick={remove}>
            {t('journey.upload.removeNamed', { name })}
          </Button>
        </div>
      ) : progress ? (
        <div className="upload-progress">
          <label className="label" htmlFor={`${id}-progress`}>
            {t('journey.upload.progressLabel', { file: progress.file })}
          </label>
          <progress id={`${id}-progress`} className="upload-progress__bar" max={100} value={progress.percent}>
            {progress.percent}%
          </progress>
          <Button variant="secondary" className="button--small" onClick={() => abort.current?.abort()}>
            {t('journey.upload.cancel')}
          </Button>
        </div>
      ) : (
        <div className={error ? 'form-group form-group--error' : 'form-group'}>
          <label className="label" htmlFor={fileId}>
            {t('journey.upload.label', { name })}
          </label>
          <Hint id={fileId}>{hint}</Hint>
          <ErrorMessage id={fileId}>{error}</ErrorMessage>
          <input
            ref={fileInput}
            id={fileId}
            type="file"
            accept={ACCEPT}
            className="file-upload"
            aria-describedby={describedBy(fileId, hint, error)}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void start(file);
            }}
          />
        </div>
      )}
      <p className="upload-status" role="status" aria-live="polite">
        {status}
      </p>
    </>
  );
}
