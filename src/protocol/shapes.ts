/**
 * Schemas for values too large or too deep to check field by field on every message (tables over
 * shared memory, load results, measure results): the value must be an object with the given keys,
 * and its static type is the core's own. Plus a type-level equality for wire types that restate a
 * core type.
 */
import * as z from '../core/zod';

/** An object holding at least `keys`; typed as the core type T it carries. */
export function shaped<T extends object>(...keys: (keyof T & string)[]) {
  return z.custom<T>(
    (v) => typeof v === 'object' && v !== null && keys.every((k) => k in v),
    keys.length ? `Expected an object with ${keys.join(', ')}` : 'Expected an object',
  );
}

/** A typed array of the given kind (structured clone keeps the kind; shared memory stays shared). */
export function typedArray<T>(kind: abstract new (...args: never[]) => unknown) {
  return z.custom<T>((v) => v instanceof kind, `Expected a ${kind.name}`);
}

/** Whether A and B are the same type. */
export type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? // optional members make two shapes assignable both ways: their keys must match too
      [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;
/** Compiles only for `true`: `Assert<Same<Wire, Core>>` breaks the build when the two drift apart. */
export type Assert<T extends true> = T;
