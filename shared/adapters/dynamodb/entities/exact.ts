/**
 * A schema the compiler proves describes exactly its domain type: no field missing, none extra, none of
 * another type. `satisfies z.ZodMiniType<T>` alone lets a schema forget an optional field, which a strict
 * object then drops on every read.
 */
import type * as z from 'zod/mini';

/** `readonly` is the domain type's promise to its readers, not a difference in what is stored. */
type Mutable<T> = T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

type Same<A, B> =
  (<X>() => X extends Mutable<A> ? 1 : 2) extends <X>() => X extends Mutable<B> ? 1 : 2 ? true : false;

/**
 * `exactSchemaOf<Payment>()(z.object({...}))` compiles only when the schema's output is exactly Payment;
 * otherwise the call asks for a second argument ("Expected 2 arguments").
 */
export function exactSchemaOf<T>() {
  return <S extends z.ZodMiniType<T>>(
    schema: S,
    ..._proof: Same<z.output<S>, T> extends true ? [] : [never]
  ): S => schema;
}

/**
 * The same proof as a type, for a schema declared on its own: `true satisfies SameType<z.output<typeof
 * schema>, StoredPin>;` compiles only when they are the same type (anything else is `never`).
 */
export type SameType<A, B> = Same<A, B> extends true ? true : never;
