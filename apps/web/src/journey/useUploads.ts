// The uploads of a page's materials (the materials page, a correction): which upload each material
// has, the details of uploads a draft already names (read from the document store; one that lapsed
// is gone), which are in flight, and each one's problem — for MaterialUpload and the error summary.
import type { DocumentListView } from '@tongban/contracts';
import { useState } from 'react';
import { useI18n } from '../i18n/context.tsx';
import type { SummaryError } from '../components/ErrorSummary.tsx';
import { problemMessageKey } from '../lib/problem.ts';
import { useFresh } from './data.ts';
import { isUploadRef, type DocumentView } from './upload.ts';

export interface Attached {
  ref: string;
  doc?: DocumentView | undefined;
}

/** The file input of a material's upload (MaterialUpload: `<materialId>-file`). */
export const fileInputId = (materialId: string) => `${materialId}-file`;

export function useUploads(codes: readonly string[], initialRef: (code: string) => string) {
  const { t } = useI18n();
  const [attached, setAttached] = useState<Record<string, Attached | undefined>>(() =>
    Object.fromEntries(codes.map((c) => [c, isUploadRef(initialRef(c)) ? { ref: initialRef(c) } : undefined])),
  );
  const [uploading, setUploading] = useState<Record<string, boolean>>({});
  const [problems, setProblems] = useState<Record<string, string | undefined>>({});
  const mine = useFresh<DocumentListView>(
    Object.values(attached).some((a) => a && !a.doc) ? 'workflow/documents' : null,
  );
  const known = mine.state === 'ok' ? new Map(mine.data.items.map((d) => [d.ref, d])) : undefined;

  const attachedOf = (c: string): Attached | undefined => {
    const a = attached[c];
    if (!a || a.doc || !known) return a;
    const doc = known.get(a.ref);
    return doc ? { ref: a.ref, doc } : undefined;
  };
  const lapsed = (c: string) => Boolean(attached[c] && !attached[c]!.doc && known && !known.has(attached[c]!.ref));
  /** The words of a material's upload problem (or of a lapsed upload), if any. */
  const problemText = (c: string): string | undefined => {
    const code = problems[c] ?? (lapsed(c) ? 'WORKFLOW_DOCUMENT_NOT_FOUND' : undefined);
    return code ? t(problemMessageKey(code)) : undefined;
  };

  return {
    attachedOf,
    problemText,
    isUploading: (c: string) => Boolean(uploading[c]),
    /** The upload's reference, when the material has one. */
    refOf: (c: string) => attachedOf(c)?.ref,
    /** The error summary's entries for upload problems, each linking to its file input. */
    summary(materials: readonly { code: string; name: string; id: string }[]): SummaryError[] {
      return materials.flatMap((m) => {
        const message = problemText(m.code);
        return message
          ? [{ field: fileInputId(m.id), text: t('journey.upload.error.failed', { name: m.name, message }) }]
          : [];
      });
    },
    handlers: (c: string) => ({
      onAttach: (doc: DocumentView | undefined) =>
        setAttached((s) => ({ ...s, [c]: doc ? { ref: doc.ref, doc } : undefined })),
      onProblem: (code: string | undefined) => setProblems((s) => ({ ...s, [c]: code })),
      onBusy: (busy: boolean) => setUploading((s) => ({ ...s, [c]: busy })),
    }),
  };
}
