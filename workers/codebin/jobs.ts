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

export type HighlightOutcome = 'highlighted' | 'plain' | 'stale';

export async function runHighlightJob(db: D1Database, job: HighlightJob, now: number): Promise<HighlightOutcome> {
  const paste = await repo.findQueuedHighlight(db, job.slug, job.language, now);
  if (!paste) return 'stale';
  const rendering = await renderContent(paste.content, paste.size, job.language, 'background');
  const stored = await repo.storeQueuedHighlight(db, { slug: job.slug, language: job.language, htmlGz: rendering.htmlGz, highlighted: rendering.highlighted });
  if (!stored) return 'stale';
  return rendering.highlighted ? 'highlighted' : 'plain';
}
