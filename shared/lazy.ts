/** A value created on first use and kept: clients and adapters built once per cold start, only if needed. */
export function once<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= create();
    return value;
  };
}
