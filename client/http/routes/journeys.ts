import type { FastifyInstance } from 'fastify';
import { InputError } from '../../../model/validation';
import { readJourneySource } from '../../journey-catalog';
import { validateJourneySource } from '../../journey-validation';
import type { HttpDeps } from '../server';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'];

/** Journey versions: publish (new runs take the newest version), and list with runs in flight. */
export function journeyRoutes(app: FastifyInstance, { stores, runs, templates, giftCatalog }: HttpDeps) {
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  /** Body: the journey as YAML (as written in journeys/*.yaml) or as JSON. */
  app.post('/v1/journeys', async (request, reply) => {
    const source = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null);
    const read = readJourneySource(source, 'request body');
    const problems = await validateJourneySource(read, templates, giftCatalog);
    if (problems.length || !read.journey) {
      throw new InputError(
        problems.map((p) => ({ path: p.path, message: p.message, line: p.line })),
        'The journey is not valid',
      );
    }
    const result = await stores.journeys.publish(read.journey, source);
    if (result.status === 'rejected') {
      return reply.code(409).send({ error: 'conflict', message: result.reason, problems: [] });
    }
    return reply.code(result.status === 'published' ? 201 : 200).send(result);
  });

  app.get('/v1/journeys', async () => {
    const versions = await stores.journeys.versions();
    const latest = new Map((await stores.journeys.latest()).map((j) => [j.id, j]));
    const ids = [...new Set(versions.map((v) => v.journeyId))];
    return {
      journeys: await Promise.all(
        ids.map(async (id) => ({
          id,
          name: latest.get(id)?.name,
          latestVersion: latest.get(id)?.version,
          versions: await Promise.all(
            versions
              .filter((v) => v.journeyId === id)
              .map(async (v) => ({
                version: v.version,
                publishedAt: v.publishedAt,
                running: await runs.countRunning(id, v.version),
              })),
          ),
        })),
      ),
    };
  });
}
