// Validation of project attributes (GitLab's wording), including the safety rules for `import_url`.

/** GitLab: letters, digits, `_`, `-`, `.`; not starting with `-` or `.`; not ending in `.git` or `.atom`. */
export function checkProjectPath(path: string): string | null {
  if (path.length === 0) return "can't be blank";
  if (path.length > 255) return "is too long (maximum is 255 characters)";
  if (!/^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/.test(path) || /\.(git|atom)$/i.test(path) || path.endsWith(".")) {
    return "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.git' or end in '.atom'";
  }
  return null;
}

export function checkProjectName(name: string): string | null {
  if (name.trim().length === 0) return "can't be blank";
  if (name.length > 255) return "is too long (maximum is 255 characters)";
  if (!/^[\p{L}\p{N}\p{Emoji_Presentation}_][\p{L}\p{N}\p{Emoji_Presentation}_.+\- ]*$/u.test(name)) {
    return "can contain only letters, digits, emoji, '_', '.', '+', dashes, or spaces. It must start with a letter, digit, emoji, or '_'.";
  }
  return null;
}

/** GitLab's `name.parameterize`-like path for a project created with only a name. */
export function pathFromName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .replace(/\.(git|atom)$/, "");
}

/** A branch name git accepts (a conservative subset of git-check-ref-format). */
export function checkBranchName(ref: string): string | null {
  const bad =
    ref.length === 0 ||
    ref.length > 255 ||
    ref.startsWith("-") ||
    ref.startsWith("/") ||
    ref.endsWith("/") ||
    ref.endsWith(".lock") ||
    ref.includes("..") ||
    ref.includes("//") ||
    ref.includes("@{") ||
    /[\s~^:?*[\\\x00-\x1f\x7f]/.test(ref);
  return bad ? "is invalid" : null;
}

/** A relative path inside the repository, without `..` segments. */
export function checkCiConfigPath(path: string): string | null {
  if (path.length === 0 || path.length > 255) return "is invalid";
  if (path.startsWith("/") || path.split("/").some((s) => s === ".." || s === "") || /[\x00-\x1f]/.test(path)) {
    return "must be a relative path inside the repository";
  }
  return null;
}

/**
 * `import_url`: http(s), ssh, git, or scp-like `user@host:path` for everyone; a local path or `file://` only for
 * admins, since runners would clone whatever the server's account can read. Never an option (`-…`) or an
 * `ext::` transport, which would let a URL run commands on the server.
 */
export function checkImportUrl(url: string, admin: boolean): string | null {
  if (url.length > 2048 || /[\s\x00-\x1f\x7f]/.test(url) || url.startsWith("-")) return "is blocked: invalid URL";
  if (/^(https?|ssh|git):\/\/[^/\s]+/i.test(url) || /^[\w.-]+@[\w.-]+:[^/]?/.test(url)) return null;
  if (url.startsWith("/") || /^file:\/\//i.test(url)) {
    return admin ? null : "is blocked: only administrators may use local repositories";
  }
  return "is blocked: only allowed schemes are http, https, ssh, git (and local paths for administrators)";
}
