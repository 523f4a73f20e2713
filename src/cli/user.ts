// `porthole user create|list|block|unblock|delete`: manages users directly in the database (for the first admin, scripts and recovery).
import { audit } from "../auth/audit.ts";
import { deleteUser, isLastAdmin, setUserState } from "../auth/user-admin.ts";
import { createUser, findUserByLogin } from "../auth/users.ts";
import type { Store } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { UserRow } from "../store/rows.ts";
import { parseCommandArgs, printHelp, requireFlag, UsageError } from "./args.ts";
import { configFlagOptions, configFromFlags } from "./config-flags.ts";
import { withStore } from "./with-store.ts";

export const userHelp = `Usage:
  porthole user create --username U [--password P] [--name N] [--email E] [--admin]
  porthole user list
  porthole user block|unblock|delete USERNAME

create   adds a user; without --password a random one is generated and printed once.
         (A password given as a flag is visible to other local users in the process list.)
list     prints every user: id, username, name, email, admin, state.
block    stops the user signing in; their tokens and sessions stop working at once.
unblock  lets a blocked user in again.
delete   removes the user with their tokens, sessions and memberships.
The last active admin cannot be blocked or deleted.

All accept the configuration flags of "porthole serve --help" (--config, --data-dir, …).`;

const createOptions = {
  ...configFlagOptions,
  username: { type: "string" },
  password: { type: "string" },
  name: { type: "string" },
  email: { type: "string" },
  admin: { type: "boolean" },
} as const;

async function create(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { name: "porthole user create", options: createOptions });
  if (!parsed) return printHelp(userHelp);
  const { values } = parsed;
  const username = requireFlag(values.username, "username", "porthole user create");
  const config = configFromFlags(values);
  const { user, generatedPassword } = await withStore(config, ({ db }) =>
    createUser(db, {
      username,
      password: values.password,
      name: values.name,
      email: values.email,
      admin: values.admin ?? false,
    }),
  );
  console.log(`created user ${user.username} (id ${user.id}${user.admin ? ", admin" : ""})`);
  if (generatedPassword) console.log(`password: ${generatedPassword}`);
  return 0;
}

async function list(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { name: "porthole user list", options: configFlagOptions });
  if (!parsed) return printHelp(userHelp);
  const rows = await withStore(configFromFlags(parsed.values), ({ db }) => repositoriesOf(db).users.allById());
  const table = [
    ["ID", "USERNAME", "NAME", "EMAIL", "ADMIN", "STATE"],
    ...rows.map((u) => [String(u.id), u.username, u.name, u.email, u.admin ? "yes" : "no", u.state]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const row of table)
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    );
  return 0;
}

type Change = "block" | "unblock" | "delete";
const CHANGES: Record<Change, { past: string; apply(store: Store, user: UserRow): void }> = {
  block: { past: "blocked", apply: ({ db }, user) => void setUserState(db, user.id, "blocked") },
  unblock: { past: "unblocked", apply: ({ db }, user) => void setUserState(db, user.id, "active") },
  delete: { past: "deleted", apply: ({ db }, user) => deleteUser(db, user.id) },
};

/** block, unblock or delete one user named by username (or email); refuses to leave no active admin. */
async function change(verb: Change, args: string[]): Promise<number> {
  const command = `porthole user ${verb}`;
  const parsed = parseCommandArgs(args, { name: command, options: configFlagOptions, positionals: { min: 1, max: 1 } });
  if (!parsed) return printHelp(userHelp);
  const login = parsed.positionals[0]!;
  await withStore(configFromFlags(parsed.values), (store) => {
    const user = findUserByLogin(store.db, login);
    if (!user) throw new UsageError(`${command}: no user '${login}'`);
    if (verb !== "unblock" && isLastAdmin(store.db, user.id)) {
      throw new UsageError(`${command}: ${user.username} is the last active admin; make another admin first`);
    }
    CHANGES[verb].apply(store, user);
    const target = { targetType: "User", targetId: user.id, details: { username: user.username, via: "cli" } };
    audit(store.db, { action: `user_${CHANGES[verb].past}`, actor: null, ...target });
  });
  console.log(`${CHANGES[verb].past} user ${login}`);
  return 0;
}

export async function runUser(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "create") return create(rest);
  if (sub === "list") return list(rest);
  if (sub === "block" || sub === "unblock" || sub === "delete") return change(sub, rest);
  if (sub === undefined || sub === "--help" || sub === "-h") return printHelp(userHelp);
  throw new UsageError(`porthole user: unknown subcommand '${sub}' (expected create, list, block, unblock or delete)`);
}
