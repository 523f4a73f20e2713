// Opens the configured database for a one-shot command and closes it afterwards, whatever happens.
import { databasePath } from "../config/paths.ts";
import type { PortholeConfig } from "../config/schema.ts";
import { openStore, type Store } from "../store/db.ts";

/** Runs `work` with the store at `<data_dir>/porthole.db` (migrated first, as openStore does). */
export async function withStore<T>(config: PortholeConfig, work: (store: Store) => Promise<T> | T): Promise<T> {
  const store = openStore(databasePath(config));
  try {
    return await work(store);
  } finally {
    store.close();
  }
}
