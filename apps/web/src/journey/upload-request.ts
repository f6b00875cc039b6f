// Uploading a material's file to the workflow's document store through the BFF: XMLHttpRequest
// rather than fetch, because only XHR reports upload progress.
import type { Locale } from '../i18n/messages.ts';
import { ApiError } from '../lib/api.ts';
import { NETWORK, signInRedirect, toProblem, type Problem } from '../lib/problem.ts';
import { mediaTypeOf, type DocumentView } from './upload.ts';

export const UPLOAD_URL = '/portal/api/workflow/documents';

export interface UploadOptions {
  locale: Locale;
  csrf: string;
  onProgress: (fraction: number) => void;
  signal: AbortSignal;
}

/** Uploads one file; resolves with the stored document, rejects with an ApiError (or an AbortError when cancelled). */
export function uploadDocument(file: File, { locale, csrf, onProgress, signal }: UploadOptions): Promise<DocumentView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const fail = (problem: Problem) => reject(new ApiError(problem));
    xhr.open('POST', UPLOAD_URL);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', locale);
    xhr.setRequestHeader('content-type', mediaTypeOf(file) ?? 'application/octet-stream');
    xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201) {
        onProgress(1);
        resolve(body as DocumentView);
        return;
      }
      const problem = toProblem(xhr.status, body);
      const redirect = signInRedirect(problem, location.pathname + location.search);
      if (redirect) location.assign(redirect);
      fail(problem);
    };
    xhr.onerror = () => fail({ status: 0, code: NETWORK });
    xhr.onabort = () => reject(new DOMException('cancelled', 'AbortError'));
    if (signal.aborted) {
      reject(new DOMException('cancelled', 'AbortError'));
      return;
    }
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
