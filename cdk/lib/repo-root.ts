import { fileURLToPath } from 'node:url';

/** The repository root: catalogue entries and ASL files are paths from here. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
