// `porthole user create|list`: manages users directly in the database (for the first admin, scripts and recovery).
import { asc } from "drizzle-orm";
import { createUser } from "../auth/users.ts";
import { users } from "../store/schema.ts";
import { parseCommandArgs, printHelp, requireFlag, UsageError } from "./args.ts";
import { configFlagOptions, configFromFlags } from "./config-flags.ts";
import { withStore } from "./with-store.ts";

export const userHelp = `Usage:
  porthole user create --username U [--password P] [--name N] [--email E] [--admin]
  porthole user list

create  adds a user; without --password a random one is generated and printed once.
        (A password given as a flag is visible to other local users in the process list.)
list    prints every user: id, username, name, email, admin, state.

Both accept the configuration flags of "porthole serve --help" (--config, --data-dir, …).`;

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
    createUser(db, { username, password: values.password, name: values.name, email: values.email, admin: values.admin ?? false }),
  );
  console.log(`created user ${user.username} (id ${user.id}${user.admin ? ", admin" : ""})`);
  if (generatedPassword) console.log(`password: ${generatedPassword}`);
  return 0;
}

async function list(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { name: "porthole user list", options: configFlagOptions });
  if (!parsed) return printHelp(userHelp);
  const rows = await withStore(configFromFlags(parsed.values), ({ db }) => db.select().from(users).orderBy(asc(users.id)).all());
  const table = [
    ["ID", "USERNAME", "NAME", "EMAIL", "ADMIN", "STATE"],
    ...rows.map((u) => [String(u.id), u.username, u.name, u.email, u.admin ? "yes" : "no", u.state]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const row of table) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
  return 0;
}

export async function runUser(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "create") return create(rest);
  if (sub === "list") return list(rest);
  if (sub === undefined || sub === "--help" || sub === "-h") return printHelp(userHelp);
  throw new UsageError(`porthole user: unknown subcommand '${sub}' (expected create or list)`);
}
