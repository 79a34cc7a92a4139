/** A value created on first use and kept: clients and adapters built once per cold start, only if needed. */
export function once<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= create();
    return value;
  };
}

/**
 * An asynchronous value created on first use and kept once it resolves; a rejection is not kept, so the next
 * caller tries again (a secret that could not be read at one request is read at the next).
 */
export function onceAsync<T>(create: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (value === undefined) {
      const created = create();
      value = created;
      created.catch(() => {
        if (value === created) value = undefined;
      });
    }
    return value;
  };
}
