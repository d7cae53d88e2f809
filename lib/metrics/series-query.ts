import { z } from "zod";
import { SeriesMetricSchema } from "@/lib/poller/snapshot";

export const MAX_SERIES_RANGE_MS = 31 * 24 * 60 * 60 * 1000;
const DEFAULT_RANGE_MS = 60 * 60 * 1000;

/** Query string of GET /api/v1/nodes/{name}/series: metric, from, to (ISO; default: the last hour). */
export const seriesQuerySchema = z
  .object({
    metric: SeriesMetricSchema,
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .transform((q) => {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
    return { metric: q.metric, from, to };
  })
  .refine((q) => q.from < q.to, { message: "from must be before to", path: ["from"] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= MAX_SERIES_RANGE_MS, {
    message: "the range may span at most 31 days",
    path: ["from"],
  });

export type SeriesQueryParams = z.output<typeof seriesQuerySchema>;
