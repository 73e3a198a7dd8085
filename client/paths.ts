import path from 'node:path';

/** The repository root: where journeys/ and templates/ live. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');
