// Personal access tokens: stored by hash, found with their user, revoked, listed per user or for admins.
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { TokenRow, UserRow } from "./rows.ts";
import { personalAccessTokens as tokens, users } from "./schema.ts";

export interface TokenListFilters {
  userId?: number;
  revoked?: boolean;
  /** `active`: not revoked and not expired on `today`; `inactive`: the others. */
  state?: "active" | "inactive";
  /** `YYYY-MM-DD` (UTC), for `state`. */
  today: string;
}

export function createTokensRepository({ db }: { db: DbHandle }) {
  return {
    insert: (values: typeof tokens.$inferInsert): TokenRow => db.insert(tokens).values(values).returning().get(),

    findById: (id: number): TokenRow | null => db.select().from(tokens).where(eq(tokens.id, id)).get() ?? null,

    findWithUserByHash: (hash: string): { token: TokenRow; user: UserRow } | null =>
      db
        .select({ token: tokens, user: users })
        .from(tokens)
        .innerJoin(users, eq(users.id, tokens.userId))
        .where(eq(tokens.tokenHash, hash))
        .get() ?? null,

    touchLastUsed(id: number, at: Date): void {
      db.update(tokens).set({ lastUsedAt: at }).where(eq(tokens.id, id)).run();
    },

    /** Revokes token `id` (only when `ownerId` owns it, if given); null when there is no such token. */
    revoke(id: number, ownerId?: number): TokenRow | null {
      const where = ownerId === undefined ? eq(tokens.id, id) : and(eq(tokens.id, id), eq(tokens.userId, ownerId));
      return db.update(tokens).set({ revoked: true }).where(where).returning().get() ?? null;
    },

    /** The user's unrevoked tokens, newest first. */
    unrevokedOfUser: (userId: number): TokenRow[] =>
      db
        .select()
        .from(tokens)
        .where(and(eq(tokens.userId, userId), eq(tokens.revoked, false)))
        .orderBy(desc(tokens.id))
        .all(),

    page(f: TokenListFilters, page: PageWindow): PageOf<TokenRow> {
      const conditions: SQL[] = f.userId === undefined ? [] : [eq(tokens.userId, f.userId)];
      if (f.revoked !== undefined) conditions.push(eq(tokens.revoked, f.revoked));
      const active = sql`(${tokens.revoked} = 0 AND (${tokens.expiresAt} IS NULL OR ${tokens.expiresAt} > ${f.today}))`;
      if (f.state === "active") conditions.push(active);
      if (f.state === "inactive") conditions.push(sql`NOT ${active}`);
      const where = and(...conditions);
      return paginate(
        db,
        db.select().from(tokens).where(where).orderBy(asc(tokens.id)),
        { table: tokens, where },
        page,
      );
    },
  };
}
