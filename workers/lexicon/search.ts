/**
 * Search over subject, body and each comment (and internal notes, for staff).
 * Terms of 3+ characters go through the trigram index; a shorter query falls back
 * to a prefix match on the subject. Requesters only ever search their own tickets.
 */
import { sql, type SQL } from 'drizzle-orm';
import { all } from '../../shared/db';
import { ROW_T, toRow, type TicketDb, type TicketRow, type Viewer } from './rows';

export async function searchTickets(db: D1Database, input: { query: string; viewer: Viewer; limit: number }): Promise<TicketRow[]> {
  const terms = searchable(input.query).trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const mine = input.viewer.staff ? sql`` : sql`AND t.creator_id = ${input.viewer.id}`;
  if (terms.length === 0) return [];
  if (terms.every((t) => [...t].length < 3)) {
    // Too short for trigrams: prefix search on the subject (LIKE's wildcards escaped).
    const prefix = `${terms.join(' ').replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const rows = await all<TicketDb>(
      db,
      sql`
      SELECT ${ROW_T} FROM tickets t
       WHERE t.subject LIKE ${prefix} ESCAPE '\\' ${mine}
       ORDER BY t.updated_at DESC, t.id DESC LIMIT ${input.limit}`,
    );
    return rows.map(toRow);
  }
  if (!input.viewer.staff)
    return searchOwnTickets(
      db,
      input.viewer.id,
      terms.filter((t) => [...t].length >= 3),
      input.limit,
    );
  // Each term is quoted (an FTS5 string), so user input is never FTS syntax. A ticket
  // matches a term through its subject or body, or through any one of its comments
  // (each comment is its own FTS row: see migrations/0013). Every term must match
  // somewhere in the ticket.
  const matches = terms
    .filter((t) => [...t].length >= 3)
    .map((t) => {
      const phrase = `"${t.replace(/"/g, '""')}"`;
      return sql`AND t.id IN (SELECT rowid FROM lexicon_search WHERE lexicon_search MATCH ${phrase}
                     UNION SELECT ticket_id FROM lexicon_comment_search WHERE lexicon_comment_search MATCH ${`body : ${phrase}`})`;
    });
  const rows = await all<TicketDb>(
    db,
    sql`
    SELECT ${ROW_T} FROM tickets t
     WHERE 1 = 1 ${sql.join(matches, sql` `)} ${mine}
     ORDER BY t.updated_at DESC, t.id DESC LIMIT ${input.limit}`,
  );
  return rows.map(toRow);
}

/**
 * A requester's search walks their own tickets (tickets_by_creator, newest first) and
 * their public comments, with a substring test: its cost is bounded by what they wrote, never by
 * how often a word occurs across the instance (an FTS match reads every matching row
 * before the creator filter could apply: "the" read 40,000 rows in the hostile review).
 */
async function searchOwnTickets(db: D1Database, creatorId: number, terms: string[], limit: number): Promise<TicketRow[]> {
  // instr() on lower(): a substring test with no pattern syntax to escape and no
  // pattern-length limit (LIKE refuses long patterns), case-insensitive like the trigram index.
  const has = (column: SQL, term: string) => sql`instr(lower(${column}), ${term.toLowerCase()}) > 0`;
  const matches = terms.map(
    (term) => sql`AND (${has(sql`t.subject`, term)} OR ${has(sql`t.body`, term)}
      OR EXISTS (SELECT 1 FROM lexicon_comments c WHERE c.ticket_id = t.id AND c.internal = 0 AND ${has(sql`c.body`, term)}))`,
  );
  const rows = await all<TicketDb>(
    db,
    sql`
    SELECT ${ROW_T} FROM tickets t INDEXED BY tickets_by_creator
     WHERE t.creator_id = ${creatorId} ${sql.join(matches, sql` `)}
     ORDER BY t.updated_at DESC, t.id DESC LIMIT ${limit}`,
  );
  return rows.map(toRow);
}

/**
 * The query as text SQLite can take: control characters (NUL ends an FTS5 string
 * early: "unterminated string", a 500) become spaces, and lone UTF-16 surrogates
 * (not valid UTF-8, so not bindable as text) become U+FFFD.
 */
function searchable(query: string): string {
  return query.replace(/[\u0000-\u001f\u007f]/g, ' ').toWellFormed();
}
