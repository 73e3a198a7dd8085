import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { InputError, problemsOf } from '../../model/validation';
import { RunNotFound } from '../runs';
import { TaskNotFound } from '../crm-tasks';
import { ChurnScanNotFound } from '../churn-scans';

/**
 * One error shape for the whole API: `{ error, message, problems: [{ path, message }] }`.
 * Bad input → 400 with the field path; nothing was changed.
 */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof InputError) {
    return reply.code(400).send({ error: 'invalid_request', message: error.message, problems: error.problems });
  }
  if (error instanceof ZodError) {
    const problems = problemsOf(error);
    return reply.code(400).send({
      error: 'invalid_request',
      message: problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      problems,
    });
  }
  if (error instanceof RunNotFound || error instanceof TaskNotFound || error instanceof ChurnScanNotFound) {
    return reply.code(404).send({ error: 'not_found', message: error.message, problems: [] });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    // Fastify's own 4xx: malformed JSON, wrong content type, body too large, ...
    const path =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(error.message) ? '(body)' : '(request)';
    return reply.code(fastifyError.statusCode).send({
      error: 'invalid_request',
      message: error.message,
      problems: [{ path, message: error.message }],
    });
  }
  request.log.error(error);
  return reply.code(500).send({ error: 'internal', message: 'internal error; see the server log', problems: [] });
}
