import * as z from 'zod/mini';

/** The schema of a list of `item` (see views/list.ts), registered as the OpenAPI component `componentId`. */
export function listOf(item: z.ZodMiniType, componentId: string) {
  return z
    .object({
      object: z.literal('list'),
      data: z.array(item),
      has_more: z.boolean(),
      next_cursor: z.nullable(z.string()),
    })
    .register(z.globalRegistry, { id: componentId });
}
