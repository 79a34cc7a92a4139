/**
 * A page as every list of the merchant platform answers it (API.md "Conventions"):
 * `{object: "list", data, has_more, next_cursor}`; `nextCursor` is the opaque position of the next page,
 * absent (null or undefined) on the last one.
 */
export function listView<T>(data: readonly T[], nextCursor: string | null | undefined) {
  return {
    object: 'list' as const,
    data,
    has_more: nextCursor !== null && nextCursor !== undefined,
    next_cursor: nextCursor ?? null,
  };
}
