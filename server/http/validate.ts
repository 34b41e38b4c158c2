import type { z } from 'zod';
import { ValidationError, describeZodIssues } from '../errors';

/** Parses untrusted input with a schema, or throws a 400 naming every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new ValidationError(`invalid ${what}: ${describeZodIssues(r.error.issues)}`);
  return r.data;
}
