import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ImportQuery, NDJSON, type ImportStreamLine } from '../../../model/customer-import';
import { CustomerImport } from '../../customer-import';
import { InputError } from '../../../model/validation';
import type { HttpDeps } from '../server';

/**
 * `POST /v1/customers/import` (docs/customers.md), registered as an encapsulated plugin: here a `text/csv`
 * body is handed over as the raw request stream, unread and unbuffered (the API's 1 MB body limit is for
 * parsed bodies), while the rest of the API keeps its JSON parsing. `Accept: application/x-ndjson` streams
 * progress lines and then the report; otherwise the answer is the report as JSON (or the error, 400).
 */
export async function customerImportRoutes(
  app: FastifyInstance,
  { stores, importIdleMs = 60_000 }: Pick<HttpDeps, 'stores' | 'importIdleMs'>,
) {
  const importer = new CustomerImport(stores.db);
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));

  app.post('/v1/customers/import', async (request, reply) => {
    const { dryRun } = ImportQuery.parse(request.query);
    const body = request.body as Readable | undefined;
    if (!body || typeof (body as Readable).pipe !== 'function') {
      return reply.code(415).send({
        error: 'invalid_request',
        message: 'send the CSV file as the body with Content-Type: text/csv',
        problems: [{ path: '(request)', message: 'Content-Type must be text/csv' }],
      });
    }
    // An upload that stalls must not keep the import's transaction open (on PGlite: the whole database): after
    // importIdleMs without a byte either way the connection is cut, which rolls the import back.
    request.raw.setTimeout(importIdleMs, () =>
      request.raw.destroy(new Error(`the upload sent nothing for ${importIdleMs / 1000} s; nothing was imported`)),
    );
    const done = () => request.raw.setTimeout(0);
    if (!String(request.headers.accept ?? '').includes(NDJSON)) {
      return importer.run(body, { dryRun }).finally(done);
    }
    const out = new PassThrough();
    // A client that went away stops reading; its upload breaks off too, which rolls the import back.
    const write = (line: ImportStreamLine) => {
      if (!out.destroyed) out.write(`${JSON.stringify(line)}\n`);
    };
    reply.type(NDJSON).send(out);
    // The status (200) is sent with the first line, so a fatal error is the last line instead of a 4xx.
    importer
      .run(body, { dryRun, onProgress: (progress) => write({ type: 'progress', ...progress }) })
      .then((report) => write({ type: 'report', report }))
      .catch((error: Error) => {
        // the same shape the error handler gives a JSON answer (client/http/errors.ts)
        if (error instanceof InputError) {
          write({
            type: 'error',
            status: 400,
            error: 'invalid_request',
            message: error.message,
            problems: error.problems,
          });
        } else {
          request.log.error(error);
          write({
            type: 'error',
            status: 500,
            error: 'internal',
            message: 'internal error; see the server log',
            problems: [],
          });
        }
      })
      .finally(() => {
        done();
        out.end();
      });
    return reply;
  });
}
