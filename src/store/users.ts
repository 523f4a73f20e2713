// User accounts: lookups by id, login, email and username, changes, and the admin list and page.
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { countRows, type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { UserRow } from "./rows.ts";
import { users } from "./schema.ts";

export type NewUserRow = typeof users.$inferInsert;

export interface UserListFilters {
  /** Exact username, any case. */
  username?: string;
  /** Part of the username or name, any case. */
  search?: string;
  active?: boolean;
  blocked?: boolean;
}

export function createUsersRepository({ db }: { db: DbHandle }) {
  const lower = (column: typeof users.username | typeof users.email, value: string) =>
    sql`lower(${column}) = ${value.toLowerCase()}`;
  return {
    findById: (id: number): UserRow | null => db.select().from(users).where(eq(users.id, id)).get() ?? null,

    findMany: (ids: number[]): UserRow[] =>
      ids.length === 0 ? [] : db.select().from(users).where(inArray(users.id, ids)).all(),

    /** The user whose username or email is `login`, ignoring case. */
    findByLogin(login: string): UserRow | null {
      const needle = login.toLowerCase();
      return (
        db
          .select()
          .from(users)
          .where(sql`lower(${users.username}) = ${needle} OR lower(${users.email}) = ${needle}`)
          .get() ?? null
      );
    },

    findByEmail: (email: string): UserRow | null =>
      db.select().from(users).where(lower(users.email, email)).get() ?? null,

    /** The id of the user with this username, ignoring case. */
    idOfUsername: (username: string): number | null =>
      db.select({ id: users.id }).from(users).where(lower(users.username, username)).get()?.id ?? null,

    /** The user whose username is exactly `username` (a project namespace). */
    findByExactUsername: (username: string): UserRow | null =>
      db.select().from(users).where(eq(users.username, username)).get() ?? null,

    hasAny: (): boolean => db.select({ id: users.id }).from(users).limit(1).get() !== undefined,

    insert: (values: NewUserRow): UserRow => db.insert(users).values(values).returning().get(),

    /** Applies `changes` (undefined fields stay); null when there is no such user. */
    update: (id: number, changes: Partial<NewUserRow>): UserRow | null =>
      db.update(users).set(changes).where(eq(users.id, id)).returning().get() ?? null,

    /** Whether a user was deleted. */
    delete: (id: number): boolean =>
      db.delete(users).where(eq(users.id, id)).returning({ id: users.id }).get() !== undefined,

    activeAdminIds: (): number[] =>
      db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.admin, true), eq(users.state, "active")))
        .all()
        .map((r) => r.id),

    allById: (): UserRow[] => db.select().from(users).orderBy(asc(users.id)).all(),

    allByUsername: (): UserRow[] => db.select().from(users).orderBy(asc(users.username)).all(),

    count: (): number => countRows(db, users),

    page(f: UserListFilters, page: PageWindow): PageOf<UserRow> {
      const conditions: SQL[] = [];
      if (f.username) conditions.push(lower(users.username, f.username));
      if (f.search) {
        const like = `%${f.search.toLowerCase()}%`;
        conditions.push(sql`(lower(${users.username}) LIKE ${like} OR lower(${users.name}) LIKE ${like})`);
      }
      if (f.active) conditions.push(eq(users.state, "active"));
      if (f.blocked) conditions.push(eq(users.state, "blocked"));
      const where = and(...conditions);
      return paginate(db, db.select().from(users).where(where).orderBy(asc(users.id)), { table: users, where }, page);
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
