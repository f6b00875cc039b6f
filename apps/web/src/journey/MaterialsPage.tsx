import { useState } from 'react';
import { BackLink } from '../components/BackLink.tsx';
import { Checkboxes } from '../components/Choices.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { Fieldset } from '../components/Fieldset.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey } from '../lib/problem.ts';
import { useLocation, useRouter } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { usePageTitle } from '../lib/title.ts';
import { useFresh } from '../lib/useApi.ts';
import type { PageProps } from '../app/table.tsx';
import { SaveButtons, WithDraft, type DraftPageProps } from './draft.tsx';
import { MaterialUpload } from './MaterialUpload.tsx';
import { isUploadRef } from './upload.ts';
import { fileInputId, useUploads } from './useUploads.ts';
import {
  journeyPaths,
  licenceRef,
  materialsNeeded,
  usableLicence,
  type ApplicationView,
  type HeldLicence,
  type MaterialRef,
} from './model.ts';
import './journey.css';

/**
 * /apply/<code>/<draft>/materials: each required material, as an uploaded scan or photo (the
 * workflow's document store, `doc:<id>`) or by the identifier of its electronic licence (电子证照标识,
 * 免证办) or of a document held elsewhere. Where the citizen holds a valid licence of the type a
 * material accepts, it is offered instead of an upload — used only when they tick it (consent).
 */
export default function MaterialsPage({ params }: PageProps) {
  return (
    <WithDraft code={params['code'] ?? ''} id={params['id'] ?? ''}>
      {(props) => <Materials {...props} />}
    </WithDraft>
  );
}

export const materialId = (code: string) => `m-${code.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const fileId = (code: string) => fileInputId(materialId(code));

function Materials({ code, subject, draft }: DraftPageProps) {
  const { t, text, locale } = useI18n();
  const { session } = useSession();
  const { navigate } = useRouter();
  const { query } = useLocation();
  const needed = materialsNeeded(subject);
  const refOf = (c: string) => draft.materials.find((x) => x.code === c)?.ref ?? '';
  // A typed reference, and apart from it an upload: the upload is what is sent when there is one.
  const [refs, setRefs] = useState<Record<string, string>>(() =>
    Object.fromEntries(needed.map((m) => [m.code, isUploadRef(refOf(m.code)) ? '' : refOf(m.code)])),
  );
  const uploads = useUploads(
    needed.map((m) => m.code),
    refOf,
  );
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const title = t('journey.materials.title');
  // Upload problems are in the summary as they happen; the page's own (required, save) join them.
  const uploadErrors = uploads.summary(
    needed.map((m) => ({ code: m.code, name: text(m.name), id: materialId(m.code) })),
  );
  const shown = [...uploadErrors, ...errors.filter((e) => !uploadErrors.some((u) => u.field === e.field))];
  usePageTitle(title, shown.length > 0);

  // The citizen's own valid licences (免证办); without them (none, or the licences module absent) nothing is offered.
  const mine = useFresh<{ licences: HeldLicence[] }>(session.state === 'signedIn' ? 'licenses/me' : null);
  const held = mine.state === 'ok' ? mine.data.licences : [];
  const licenceFor = (c: string) => usableLicence(held, needed.find((m) => m.code === c)?.licenceType, new Date());
  const [consented, setConsented] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(needed.map((m) => [m.code, refOf(m.code).startsWith('lic:')])),
  );
  const usesLicence = (c: string) => consented[c] === true && licenceFor(c) !== undefined;

  const refFor = (c: string) =>
    usesLicence(c) ? licenceRef(licenceFor(c)!.identifier) : (uploads.refOf(c) ?? (refs[c] ?? '').trim());

  const save = async (event: { preventDefault(): void }, later: boolean) => {
    event.preventDefault();
    if (session.state !== 'signedIn') return;
    const inFlight = needed.filter((m) => uploads.isUploading(m.code));
    const missing = later ? [] : needed.filter((m) => !uploads.isUploading(m.code) && refFor(m.code) === '');
    if (inFlight.length + missing.length > 0) {
      setErrors([
        ...inFlight.map((m) => ({
          field: `${materialId(m.code)}-progress`,
          text: t('journey.upload.error.inProgress', { name: text(m.name) }),
        })),
        ...missing.map((m) => ({
          field: fileId(m.code),
          text: t('journey.materials.error.required', { name: text(m.name) }),
        })),
      ]);
      setAttempt((n) => n + 1);
      return;
    }
    const materials: MaterialRef[] = [
      ...draft.materials.filter((m) => !needed.some((n) => n.code === m.code)),
      ...needed.flatMap((m) => {
        const ref = refFor(m.code);
        return ref ? [{ code: m.code, ref }] : [];
      }),
    ];
    setBusy(true);
    try {
      await api<ApplicationView>(`workflow/drafts/${draft.id}`, {
        locale,
        method: 'PUT',
        body: { version: draft.version, form: draft.form, materials },
        csrf: session.csrf,
      });
      navigate(
        later
          ? '/applications'
          : query.get('return') === 'check'
            ? journeyPaths.check(code, draft.id)
            : journeyPaths.tasks(code, draft.id),
      );
    } catch (error) {
      setErrors([{ field: 'save', text: t(problemMessageKey(problemFrom(error).code)) }]);
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };

  const fieldError = (id: string) => errors.find((e) => e.field === id)?.text;

  return (
    <>
      <BackLink href={journeyPaths.tasks(code, draft.id)}>{t('journey.backToTasks')}</BackLink>
      {shown.length > 0 && <ErrorSummary key={`${attempt}-${uploadErrors.length}`} errors={shown} />}
      <span className="caption">{text(subject.name)}</span>
      <h1 className="heading-l">{title}</h1>
      <p className="body">{t('journey.materials.lead')}</p>
      <form onSubmit={(e) => void save(e, false)} noValidate>
        {needed.map((m) => {
          const id = materialId(m.code);
          const upload = uploads.attachedOf(m.code);
          const licence = licenceFor(m.code);
          return (
            <Fieldset key={m.code} id={`${id}-group`} legend={<span className="heading-m">{text(m.name)}</span>}>
              {licence && (
                <Checkboxes
                  id={`${id}-licence`}
                  name={`${id}-licence`}
                  legend={t('journey.materials.licence.legend', { name: text(licence.type.name) })}
                  items={[
                    {
                      value: 'use',
                      label: t('journey.materials.useLicence'),
                      hint: t('journey.materials.useLicence.hint', {
                        name: text(licence.type.name),
                        identifier: licence.identifier,
                      }),
                    },
                  ]}
                  values={usesLicence(m.code) ? ['use'] : []}
                  onChange={(values) => {
                    setConsented((s) => ({ ...s, [m.code]: values.includes('use') }));
                    setErrors((es) => es.filter((e) => e.field !== fileId(m.code)));
                  }}
                />
              )}
              {!usesLicence(m.code) && (
                <>
                  <MaterialUpload
                    id={id}
                    name={text(m.name)}
                    attached={upload}
                    error={uploads.problemText(m.code) ?? fieldError(fileId(m.code)) ?? fieldError(`${id}-progress`)}
                    {...uploads.handlers(m.code)}
                    onAttach={(doc) => {
                      uploads.handlers(m.code).onAttach(doc);
                      setErrors((es) => es.filter((e) => e.field !== fileId(m.code)));
                    }}
                  />
                  {!upload && (
                    <TextInput
                      id={id}
                      label={t('journey.materials.or', { name: text(m.name) })}
                      hint={m.licenceType ? t('journey.materials.hint.licence') : t('journey.materials.hint.document')}
                      error={fieldError(id)}
                      value={refs[m.code] ?? ''}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        setRefs((s) => ({ ...s, [m.code]: v }));
                      }}
                      autoComplete="off"
                      spellCheck={false}
                      maxLength={200}
                    />
                  )}
                </>
              )}
            </Fieldset>
          );
        })}
        <SaveButtons busy={busy} onLater={(e) => void save(e, true)} />
      </form>
    </>
  );
}
