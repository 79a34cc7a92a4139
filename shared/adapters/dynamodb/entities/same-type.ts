/**
 * A compile-time proof that an entity's schema and its type are the same type both ways: a property the
 * schema forgets, marks optional when the type requires it, or types wider, fails to compile. (`satisfies
 * z.ZodMiniType<T>` alone only proves the schema's output fits the type, not that nothing is left out.)
 */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** `true` only when A and B are the same type; anything else is `never`, so assigning `true` fails. */
export type SameType<A, B> = Same<A, B> extends true ? true : never;
