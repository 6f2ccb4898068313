/** InsightDash's own settings, validated like the platform's (shared/env.ts). */
import * as z from 'zod';
import { settings } from '../../shared/env';

export type InsightConfig = {
  /** Raw points one account's series may keep together (rollups are not counted: they are a few rows an hour). */
  maxPoints: number;
};

export const DEFAULT_MAX_POINTS = 5_000_000;

export const insightConfig = settings(
  z
    .object({
      INSIGHTDASH_MAX_POINTS: z
        .string()
        .regex(/^\d{4,10}$/, `INSIGHTDASH_MAX_POINTS must be a whole number of points of at least 1000, like "${DEFAULT_MAX_POINTS}".`)
        .optional(),
    })
    .transform((v): InsightConfig => ({ maxPoints: v.INSIGHTDASH_MAX_POINTS ? Number(v.INSIGHTDASH_MAX_POINTS) : DEFAULT_MAX_POINTS })),
);
