// Documents (材料上传): a citizen or business uploads a scan or photo as the raw body and names it
// in a material as `doc:<id>`; the owner, and officers whose department has a task on an
// application naming it, open it. Everyone else is told it does not exist (404, never 403).
import { DocumentListView, DocumentView } from '@tongban/contracts';
import { reachesResource, type HttpApp, type Principal } from '@tongban/kernel';
import type { FastifyRequest } from 'fastify';
import { WorkflowError } from '../errors.ts';
import {
  contentDisposition,
  DOCUMENT_MAX_BYTES,
  DOCUMENT_MEDIA_TYPES,
  documentRef,
  type DocumentMediaType,
} from '../domain/documents.ts';
import {
  documentBytes,
  getDocument,
  recordOfficerRead,
  removeDocument,
  tooLarge,
  uploadDocument,
  type DocumentAccess,
} from '../service/documents.ts';
import type { Services } from '../service/submit.ts';
import { documentTaskScopes, findDocument, listDocuments } from '../store/documents.ts';
import { typed, type DocumentRow } from '../store/tables.ts';
import { applicantOf } from './applicant.ts';
import { IdParam } from './schemas.ts';

const tags = ['workflow: documents'];

export const viewOf = (d: DocumentRow) => ({
  id: d.id,
  ref: documentRef(d.id),
  size: d.size,
  mediaType: d.media_type,
  name: d.name,
  sha256: d.sha256,
  createdAt: d.created_at.toISOString(),
  confirmedAt: d.confirmed_at ? d.confirmed_at.toISOString() : null,
});

/**
 * The raw body, up to the limit: a declared length over it is refused before a byte is read, a
 * stream that passes it is cut off (as Fastify's own parser does), both with the workflow's 413.
 */
function readLimited(
  request: FastifyRequest,
  payload: NodeJS.ReadableStream,
  done: (error: Error | null, body?: Buffer) => void,
): void {
  if (Number(request.headers['content-length']) > DOCUMENT_MAX_BYTES) return done(tooLarge());
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > DOCUMENT_MAX_BYTES) {
      detach();
      done(tooLarge());
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = (error?: Error) => {
    detach();
    if (error) done(error);
    else done(null, Buffer.concat(chunks, size));
  };
  const detach = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
}

export function documentRoutes(app: HttpApp, s: Services): void {
  const db = typed(s.ctx.db);
  const applicantPolicy = { kinds: ['citizen', 'business'] as const, assurance: 'password' as const };
  const notFound = (id: string) => new WorkflowError('WORKFLOW_DOCUMENT_NOT_FOUND', { id });
  // What the resource check found, for the handler (the task an officer came through).
  const reached = new WeakMap<FastifyRequest, { doc: DocumentRow; via?: DocumentAccess }>();

  const ownDocument = {
    ...applicantPolicy,
    resource: async (r: FastifyRequest) => {
      const id = (r.params as { id: string }).id;
      const doc = await findDocument(db, id);
      const p = r.principal!;
      if (!doc || (doc.owner_id !== p.id && doc.owner_id !== p.actingFor)) throw notFound(id);
      reached.set(r, { doc });
      return { ownerId: doc.owner_id };
    },
  };

  // The owner, or an officer whose department (within their regions) has a task on a submitted
  // application naming the document; the guard's own rule (reachesResource) decides the officer.
  // Officers work at multi-factor (as on every task route): the guard asks them to step up
  // before anything is looked up.
  const readableDocument = {
    kinds: ['citizen', 'business', 'officer'] as const,
    assurance: { citizen: 'password', business: 'password', officer: 'mfa' } as const,
    resource: async (r: FastifyRequest) => {
      const id = (r.params as { id: string }).id;
      const p: Principal = r.principal!;
      const doc = await findDocument(db, id);
      if (!doc) throw notFound(id);
      if (p.kind !== 'officer') {
        if (doc.owner_id !== p.id && doc.owner_id !== p.actingFor) throw notFound(id);
        reached.set(r, { doc });
        return { ownerId: doc.owner_id };
      }
      const via = (await documentTaskScopes(db, id)).find((t) =>
        reachesResource(p, { departmentCode: t.departmentCode, regionCode: t.regionCode }),
      );
      if (!via) throw notFound(id);
      reached.set(r, { doc, via });
      return { departmentCode: via.departmentCode, regionCode: via.regionCode };
    },
  };

  // Raw bodies only in this scope: the three types, read up to 10 MiB; anything else is refused
  // with the workflow's own code before its body is read.
  void app.register(async (scope) => {
    scope.addContentTypeParser([...DOCUMENT_MEDIA_TYPES], { bodyLimit: DOCUMENT_MAX_BYTES }, readLimited);
    scope.addContentTypeParser('*', (_request, _payload, done) =>
      done(new WorkflowError('WORKFLOW_DOCUMENT_TYPE_UNSUPPORTED')),
    );
    scope.post(
      '/documents',
      {
        bodyLimit: DOCUMENT_MAX_BYTES,
        config: { policy: applicantPolicy },
        schema: {
          tags,
          summary:
            'Upload a scan or photo (the raw file as the body: application/pdf, image/jpeg or image/png, at most 10 MiB; the name in `x-file-name`, percent-encoded UTF-8); name it in a material as `ref`',
          response: { 201: DocumentView },
        },
      },
      async (req, reply) => {
        const name = req.headers['x-file-name'];
        const doc = await uploadDocument(s, applicantOf(req.principal!).id, {
          contentType: req.headers['content-type'],
          fileName: typeof name === 'string' ? name : undefined,
          bytes: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        });
        return reply.code(201).header('location', `/api/workflow/documents/${doc.id}`).send(viewOf(doc));
      },
    );
  });

  app.get(
    '/documents',
    {
      config: { policy: applicantPolicy },
      schema: {
        tags,
        summary: 'My uploaded documents, newest first (the last 100)',
        response: { 200: DocumentListView },
      },
    },
    async (req) => ({ items: (await listDocuments(db, applicantOf(req.principal!).id, 100)).map(viewOf) }),
  );

  app.get(
    '/documents/:id',
    {
      config: { policy: readableDocument },
      schema: {
        tags,
        summary:
          "A document's bytes, as an attachment: its owner, or an officer whose department has a task on an application naming it (recorded as an access to personal data); 404 to everyone else",
        params: IdParam,
      },
    },
    async (req, reply) => {
      const found = reached.get(req) ?? { doc: await getDocument(s, req.params.id) };
      const bytes = await documentBytes(s, found.doc);
      // An officer's opening is on the record before a byte leaves.
      if (found.via) await recordOfficerRead(s, found.doc, found.via, req.principal!.id);
      return reply
        .header('content-type', found.doc.media_type satisfies DocumentMediaType)
        .header('content-disposition', contentDisposition(found.doc.name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  app.delete(
    '/documents/:id',
    {
      config: { policy: ownDocument },
      schema: {
        tags,
        summary: 'Remove an upload no submitted application names yet (409 once one does)',
        params: IdParam,
      },
    },
    async (req, reply) => {
      await removeDocument(s, applicantOf(req.principal!).id, req.params.id);
      return reply.code(204).send();
    },
  );
}
