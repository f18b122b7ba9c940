// tsx's CommonJS API, as test/support/require-typescript.ts uses it: the package's types are reached only
// through its `exports` map, which this project's module resolution ("node") does not read
declare module 'tsx/cjs/api' {
  /** Makes Node's `require` load TypeScript; returns the function that undoes it. */
  export function register(): () => void;
}
