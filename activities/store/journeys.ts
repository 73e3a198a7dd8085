import { isDeepStrictEqual } from 'node:util';
import { Journey } from '../../model/journey';
import type { Database } from './database';

export interface PublishedVersion {
  journeyId: string;
  version: number;
  publishedAt: string;
}

export type PublishResult =
  | { status: 'published'; version: PublishedVersion }
  | { status: 'unchanged'; version: PublishedVersion }
  | { status: 'rejected'; conflict: 'version-taken' | 'version-lower'; reason: string };

interface VersionRow {
  journey_id: string;
  version: number;
  definition: unknown;
  published_at: Date;
}

const toVersion = (row: VersionRow): PublishedVersion => ({
  journeyId: row.journey_id,
  version: row.version,
  publishedAt: new Date(row.published_at).toISOString(),
});

/**
 * Published journey versions. Versions only go up; a version, once published, never changes
 * (publishing the same content again is a no-op, different content needs a new version number).
 */
export class JourneyStore {
  constructor(private readonly db: Database) {}

  async publish(journey: Journey, source?: string): Promise<PublishResult> {
    return this.db.transaction(async (tx) => {
      // One publisher per journey at a time, so two publishes of "the next version" cannot both win.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`journey:${journey.id}`]);
      const [latest] = await tx.query<VersionRow>(
        'SELECT * FROM journey_versions WHERE journey_id = $1 ORDER BY version DESC LIMIT 1',
        [journey.id],
      );
      const [same] = await tx.query<VersionRow>(
        'SELECT * FROM journey_versions WHERE journey_id = $1 AND version = $2',
        [journey.id, journey.version],
      );
      if (same) {
        return isDeepStrictEqual(same.definition, JSON.parse(JSON.stringify(journey)))
          ? { status: 'unchanged', version: toVersion(same) }
          : {
              status: 'rejected',
              conflict: 'version-taken',
              reason: `version ${journey.version} of "${journey.id}" is already published with other content; publish it as version ${(latest?.version ?? 0) + 1}`,
            };
      }
      if (latest && journey.version < latest.version) {
        return {
          status: 'rejected',
          conflict: 'version-lower',
          reason: `"${journey.id}" is at version ${latest.version}; a new version must be higher (e.g. ${latest.version + 1})`,
        };
      }
      const [row] = await tx.query<VersionRow>(
        'INSERT INTO journey_versions (journey_id, version, definition, source) VALUES ($1, $2, $3, $4) RETURNING *',
        [journey.id, journey.version, JSON.stringify(journey), source ?? null],
      );
      return { status: 'published', version: toVersion(row) };
    });
  }

  /** The newest version of every journey: what new runs start on. */
  async latest(): Promise<Journey[]> {
    const rows = await this.db.query<VersionRow>(
      'SELECT DISTINCT ON (journey_id) * FROM journey_versions ORDER BY journey_id, version DESC',
    );
    return rows.map((row) => Journey.parse(row.definition));
  }

  async versions(): Promise<PublishedVersion[]> {
    const rows = await this.db.query<VersionRow>(
      'SELECT journey_id, version, published_at FROM journey_versions ORDER BY journey_id, version',
    );
    return rows.map(toVersion);
  }
}
