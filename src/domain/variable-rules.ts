// GitLab's rules for CI/CD variables: key names and which values can be masked; shared by the API and the pages.

export const KEY = /^[a-zA-Z0-9_]{1,255}$/;
/** GitLab's rule for maskable values: one line, 8+ characters of the Base64 alphabet plus `@ : . ~ -`. */
const MASKABLE = /^[a-zA-Z0-9+/=@:.~_-]{8,}$/;

/** Field errors (GitLab's wording) for a variable's key and value; empty when both are fine. */
export function variableFieldErrors(v: { key: string; value: string; masked: boolean }): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  if (!KEY.test(v.key)) fields.key = ["can contain only letters, digits and '_'."];
  if (v.masked && !MASKABLE.test(v.value)) {
    fields.value = [
      "cannot be masked: it must be one line of at least 8 characters from A-Z a-z 0-9 + / = @ : . ~ - _",
    ];
  }
  return fields;
}
