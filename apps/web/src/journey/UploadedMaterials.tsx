import type { DocumentListView } from '@tongban/contracts';
import { useI18n } from '../i18n/context.tsx';
import { useFresh } from './data.ts';
import type { MaterialRef } from './model.ts';
import { isUploadRef, sizeText } from './upload.ts';

/** A case's uploaded materials, each a link to its file (downloaded as an attachment, through the BFF). */
export function UploadedMaterials({ materials }: { materials: readonly MaterialRef[] }) {
  const { t, locale } = useI18n();
  const uploads = materials.filter((m) => isUploadRef(m.ref));
  const mine = useFresh<DocumentListView>(uploads.length > 0 ? 'workflow/documents' : null);
  if (uploads.length === 0 || mine.state !== 'ok') return null;
  const byRef = new Map(mine.data.items.map((d) => [d.ref, d]));
  const shown = uploads.flatMap((m) => {
    const doc = byRef.get(m.ref);
    return doc ? [doc] : [];
  });
  if (shown.length === 0) return null;
  return (
    <section aria-labelledby="uploads-heading">
      <h2 className="heading-m" id="uploads-heading">
        {t('journey.case.uploads')}
      </h2>
      <ul className="list list--bullet">
        {shown.map((doc) => (
          <li key={doc.id}>
            <a
              className="link"
              href={`/portal/api/workflow/documents/${encodeURIComponent(doc.id)}`}
              download={doc.name}
            >
              {t('journey.upload.file', { file: doc.name, size: sizeText(doc.size, locale) })}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
