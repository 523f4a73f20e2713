// GitLab's rules for environment names, slugs and tiers (Gitlab::Regex, Gitlab::Slug::Environment, guess_tier); pure.

const CHARS = "a-zA-Z0-9_/${}. -";
const CHARS_WITHOUT_SLASH = "a-zA-Z0-9_${}. -";
const NAME = new RegExp(`^[${CHARS_WITHOUT_SLASH}]([${CHARS}]*[${CHARS_WITHOUT_SLASH}])?$`);

export const ENVIRONMENT_NAME_MESSAGE =
  "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'";
/** GitLab's limit on an environment's name (and on a resource group's key). */
export const MAX_ENVIRONMENT_NAME = 255;
export const DEPLOYMENT_TIERS = ["production", "staging", "testing", "development", "other"] as const;
export type DeploymentTier = (typeof DEPLOYMENT_TIERS)[number];

export function isValidEnvironmentName(name: string): boolean {
  return name.length <= MAX_ENVIRONMENT_NAME && NAME.test(name);
}

/**
 * GitLab's environment slug: lower-case letters, digits and `-`, starting with a letter, at most 24 characters; a
 * name that had to change (or be shortened) gets a 6-character suffix derived from its SHA-256.
 */
export function environmentSlug(name: string): string {
  let slug = name.toLowerCase().replace(/[^a-z0-9]/g, "-");
  if (!/^[a-z]/.test(slug)) slug = `env-${slug}`;
  slug = slug.replace(/-+/g, "-");
  if (slug.length <= 24 && slug === name) return slug.replace(/-$/, "");
  slug = slug.slice(0, 17);
  if (!slug.endsWith("-")) slug += "-";
  return slug + slugSuffix(name);
}

function slugSuffix(name: string): string {
  const hex = new Bun.CryptoHasher("sha256").update(name).digest("hex");
  return BigInt(`0x${hex}`).toString(36).slice(-6);
}

/** The tier GitLab guesses from an environment's name when `deployment_tier` is not written. */
export function guessTier(name: string): DeploymentTier {
  if (/(dev|review|trunk)/i.test(name)) return "development";
  if (/(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i.test(name)) return "testing";
  if (/(st(a|)g|mod(e|)l|pre|demo|non)/i.test(name)) return "staging";
  if (/(pr(o|)d|live)/i.test(name)) return "production";
  return "other";
}

/** Whether a variable's `environment_scope` (`*`, `review/*`, `production`) covers the environment `name`. */
export function scopeMatches(scope: string, name: string | null): boolean {
  if (scope === "*") return true;
  if (name === null) return false;
  if (!scope.includes("*")) return scope === name;
  const pattern = scope.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, "\\$&"));
  return new RegExp(`^${pattern.join(".*")}$`).test(name);
}

/** How specific a scope is: `*` least, wildcards next, an exact name most (GitLab lets the most specific win). */
export function scopeRank(scope: string): number {
  return scope === "*" ? 0 : scope.includes("*") ? 1 : 2;
}
