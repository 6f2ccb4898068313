/**
 * CodeBin's background highlighting, run by the Queue consumer.
 *
 * Protocol: when a paste's highlighting would cost more than one request may spend
 * (content.ts `highlightPlan`), the request stores it as plain text with
 * `highlight_queued = 1` and sends `{ kind: 'codebin.highlight', slug, language }`.
 * This handler highlights it within the background budget and stores the result
 * with a guarded UPDATE (still queued, same language).
 *
 * Queues deliver at least once, so a message may arrive twice or after the paste
 * changed: a deleted or expired paste, a language changed since, or a result
 * already stored are all no-ops that ack. Anything that throws is retried by the
 * queue, then goes to the dead-letter queue; the paste simply stays plain text.
 */
import * as z from 'zod';
import { BACKGROUND_HIGHLIGHT_BUDGET, highlightCost } from './content';
import { LANGUAGE_IDS, type Language } from './language';
import * as repo from './repository';
import { renderContent } from './service';

export const HighlightJob = z
  .object({
    kind: z.literal('codebin.highlight'),
    slug: z.string().min(8).max(32),
    language: z.enum(LANGUAGE_IDS as [Language, ...Language[]]),
  })
  .strict();

export type HighlightJob = z.infer<typeof HighlightJob>;

/** What the request sends; the queue serialises it (structured clone). */
export function highlightJob(slug: string, language: Language): HighlightJob {
  return { kind: 'codebin.highlight', slug, language };
}

/** 'full': the highlighting did not fit under CodeBin's cap, so the paste stays plain text. */
export type HighlightOutcome = 'highlighted' | 'plain' | 'stale' | 'full';

/** The most one job may cost, in highlightCost units (≈ ms of CPU): the queue budgets batches with it. */
export const HIGHLIGHT_JOB_MAX_COST = BACKGROUND_HIGHLIGHT_BUDGET;

export async function runHighlightJob(db: D1Database, job: HighlightJob, now: number, maxTotal: number): Promise<{ outcome: HighlightOutcome; cost: number }> {
  const paste = await repo.findQueuedHighlight(db, job.slug, job.language, now);
  if (!paste) return { outcome: 'stale', cost: 0 };
  const rendering = await renderContent(paste.content, paste.size, job.language, 'background');
  const cost = rendering.highlighted ? Math.ceil(highlightCost(paste.content)) : 0;
  const stored = await repo.storeQueuedHighlight(
    db,
    { slug: job.slug, language: job.language, htmlGz: rendering.htmlGz, highlighted: rendering.highlighted },
    maxTotal,
  );
  if (!stored.ok) return { outcome: stored.reason, cost };
  return { outcome: rendering.highlighted ? 'highlighted' : 'plain', cost };
}
