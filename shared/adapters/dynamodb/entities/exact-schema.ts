/**
 * Proof, at compile time, that an entity's schema reads back exactly its domain type. `satisfies
 * z.ZodMiniType<T>` proves one way only: a schema that forgets an optional field, or narrows a union, still
 * satisfies it, and then a strict object drops that field on read without a word.
 */
import type * as z from 'zod/mini';

/** True when A and B are the same type, optional and readonly modifiers included. */
export type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** The schema, unchanged, when what it parses is exactly T; otherwise a compile error at the call. */
export function exactSchema<T>() {
  return <S extends z.ZodMiniType<T>>(
    schema: S & (Equal<z.output<S>, T> extends true ? unknown : 'does not read back exactly the domain type'),
  ): S => schema;
}
