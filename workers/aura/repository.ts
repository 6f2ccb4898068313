/** Aura's SQL: the rooms table. What happens inside a room lives in its Durable Object. */
import { sql } from 'drizzle-orm';
import { all, first, run } from '../../shared/db';

export type Room = {
  id: string;
  ownerId: number;
  title: string;
  locked: boolean;
  openPresenting: boolean;
  createdAt: number;
  endedAt: number | null;
};

type RoomRow = {
  id: string;
  owner_id: number;
  title: string;
  locked: number;
  open_presenting: number;
  created_at: number;
  ended_at: number | null;
};

const COLUMNS = sql`id, owner_id, title, locked, open_presenting, created_at, ended_at`;

const toRoom = (r: RoomRow): Room => ({
  id: r.id,
  ownerId: r.owner_id,
  title: r.title,
  locked: r.locked === 1,
  openPresenting: r.open_presenting === 1,
  createdAt: r.created_at,
  endedAt: r.ended_at,
});

/** Creates a room unless its owner already has `maxOpen` open ones (one statement: no race between count and insert). */
export async function createRoom(db: D1Database, room: { id: string; ownerId: number; title: string; now: number }, maxOpen: number): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`INSERT INTO aura_rooms (id, owner_id, title, created_at)
        SELECT ${room.id}, ${room.ownerId}, ${room.title}, ${room.now}
        WHERE (SELECT count(*) FROM aura_rooms WHERE owner_id = ${room.ownerId} AND ended_at IS NULL) < ${maxOpen}
        RETURNING id`,
  );
  return rows.length === 1;
}

export async function findRoom(db: D1Database, id: string): Promise<Room | null> {
  const row = await first<RoomRow>(db, sql`SELECT ${COLUMNS} FROM aura_rooms WHERE id = ${id}`);
  return row ? toRoom(row) : null;
}

/** The owner's rooms, open ones first, newest first. */
export async function listRooms(db: D1Database, ownerId: number, limit: number): Promise<Room[]> {
  const rows = await all<RoomRow>(
    db,
    sql`SELECT ${COLUMNS} FROM aura_rooms WHERE owner_id = ${ownerId}
        ORDER BY ended_at IS NOT NULL, created_at DESC LIMIT ${limit}`,
  );
  return rows.map(toRoom);
}

/** The owner's changes to an open room; false if it is not theirs or has ended. */
export async function updateRoom(
  db: D1Database,
  id: string,
  ownerId: number,
  change: { title: string; locked: boolean; openPresenting: boolean },
): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`UPDATE aura_rooms SET title = ${change.title}, locked = ${change.locked ? 1 : 0}, open_presenting = ${change.openPresenting ? 1 : 0}
        WHERE id = ${id} AND owner_id = ${ownerId} AND ended_at IS NULL RETURNING id`,
  );
  return rows.length === 1;
}

/** Ends an open room of this owner; false if it is not theirs or already ended. */
export async function endRoom(db: D1Database, id: string, ownerId: number, now: number): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`UPDATE aura_rooms SET ended_at = ${now} WHERE id = ${id} AND owner_id = ${ownerId} AND ended_at IS NULL RETURNING id`,
  );
  return rows.length === 1;
}

/** Ended rooms older than `before` (their Durable Objects were emptied when they ended). */
export async function purgeEnded(db: D1Database, before: number): Promise<number> {
  return (await run(db, sql`DELETE FROM aura_rooms WHERE ended_at IS NOT NULL AND ended_at < ${before}`)).changes;
}
