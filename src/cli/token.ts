// `porthole token create`: makes a personal access token for a user and prints only the token.
import { createPersonalAccessToken, TOKEN_SCOPES, type TokenScope, todayUtc } from "../auth/tokens.ts";
import { findUserByLogin } from "../auth/users.ts";
import { parseCommandArgs, printHelp, requireFlag, UsageError } from "./args.ts";
import { configFlagOptions, configFromFlags } from "./config-flags.ts";
import { withStore } from "./with-store.ts";

const NAME = "porthole token create";

export const tokenHelp = `Usage: porthole token create --user U [--name N] [--scopes api,read_api] [--expires 30d|YYYY-MM-DD]

Creates a personal access token for user U (username or email) and prints only the token, once.
  --name N        the token's name (default: cli)
  --scopes LIST   comma-separated, of: ${TOKEN_SCOPES.join(", ")} (default: api)
  --expires WHEN  a number of days (30d) or a date (YYYY-MM-DD, UTC); default: never

Accepts the configuration flags of "porthole serve --help" (--config, --data-dir, …).`;

const options = {
  ...configFlagOptions,
  user: { type: "string" },
  name: { type: "string" },
  scopes: { type: "string" },
  expires: { type: "string" },
} as const;

function parseScopes(text: string): TokenScope[] {
  const scopes = text.split(",").map((s) => s.trim());
  const unknown = scopes.find((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (unknown !== undefined)
    throw new UsageError(`${NAME}: --scopes: unknown scope '${unknown}' (known: ${TOKEN_SCOPES.join(", ")})`);
  return scopes as TokenScope[];
}

/** `30d` → the date 30 days from today (UTC); `YYYY-MM-DD` as given, if it is a real date after today. */
export function parseExpiry(text: string, now = new Date()): string {
  const days = /^(\d{1,4})d$/.exec(text);
  const date = days ? todayUtc(new Date(now.getTime() + Number(days[1]) * 86_400_000)) : text;
  const real = /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
  if (!real)
    throw new UsageError(`${NAME}: --expires: expected a number of days like 30d or a date YYYY-MM-DD, got "${text}"`);
  if (date <= todayUtc(now)) throw new UsageError(`${NAME}: --expires: ${date} is not in the future`);
  return date;
}

export async function runToken(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "--help" || sub === "-h") return printHelp(tokenHelp);
  if (sub !== "create") throw new UsageError(`porthole token: unknown subcommand '${sub}' (expected create)`);
  const parsed = parseCommandArgs(rest, { name: NAME, options });
  if (!parsed) return printHelp(tokenHelp);
  const { values } = parsed;
  const login = requireFlag(values.user, "user", NAME);
  const scopes = parseScopes(values.scopes ?? "api");
  const expiresAt = values.expires === undefined ? null : parseExpiry(values.expires);
  const token = await withStore(configFromFlags(values), ({ db }) => {
    const user = findUserByLogin(db, login);
    if (!user) throw new UsageError(`${NAME}: --user: no user '${login}'`);
    return createPersonalAccessToken(db, { userId: user.id, name: values.name ?? "cli", scopes, expiresAt }).token;
  });
  console.log(token);
  return 0;
}
