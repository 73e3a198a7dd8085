import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HttpDeps } from '../server';

const Note = z.object({ note: z.string().min(1).max(500).optional() }).strict();

/** The daily churn scan's schedule: status with progress, pause, resume, trigger now. */
export function churnScanRoutes(app: FastifyInstance, { churnScans }: HttpDeps) {
  app.get('/v1/churn-scan', async () => churnScans.status());
  app.post('/v1/churn-scan/pause', async (request) => churnScans.pause(Note.parse(request.body ?? {}).note));
  app.post('/v1/churn-scan/resume', async (request) => churnScans.resume(Note.parse(request.body ?? {}).note));
  app.post('/v1/churn-scan/trigger', async (request, reply) => reply.code(202).send(await churnScans.trigger()));
  // Scan workflow ids contain ":" (the scheduled time): send them URL-encoded.
  app.get<{ Params: { id: string } }>('/v1/churn-scan/runs/:id', async (request) => churnScans.run(request.params.id));
}
