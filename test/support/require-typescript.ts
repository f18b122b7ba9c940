import { register } from 'tsx/cjs/api';

/**
 * Lets `require` load TypeScript in tests. A few modules load a heavy dependency on first use with
 * `require` rather than at start (the snapshot parser's record schema, which loads zod): the build runs
 * them as JavaScript, but vitest runs the sources, and Node's own `require` cannot load a `.ts` file.
 */
register();
