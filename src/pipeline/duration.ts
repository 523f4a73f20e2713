// Durations as GitLab reads them (its ChronicDuration): `1h 30m`, `90 minutes`, `3 hours and 30 min`, `1:30:00`, `3600`.

const UNIT_SECONDS = new Map([
  ["seconds", 1],
  ["minutes", 60],
  ["hours", 3600],
  ["days", 86_400],
  ["weeks", 604_800],
  ["months", 2_592_000],
  ["years", 31_557_600],
]);

/** Every word for a unit, by unit. */
const UNIT_WORDS = new Map(
  Object.entries({
    seconds: ["second", "secs", "sec", "s"],
    minutes: ["minute", "mins", "min", "m"],
    hours: ["hour", "hrs", "hr", "h"],
    days: ["day", "dy", "d"],
    weeks: ["week", "wks", "wk", "w"],
    months: ["month", "mos", "mo"],
    years: ["year", "yrs", "yr", "y"],
  }).flatMap(([unit, words]) => [unit, ...words].map((word): [string, string] => [word, unit])),
);

const JOIN_WORDS = new Set(["and", "with", "plus"]);
const NUMBER = /[0-9]*\.?[0-9]+/;
/** Units of `a:b:c` from the right. */
const CHRONO_UNITS = ["seconds", "minutes", "hours", "days", "months", "years"];

/**
 * Seconds in `text`, or `null` when it is not a duration GitLab accepts (unknown words, or zero).
 * A bare number means seconds; months are 30 days and years 365.25 days, as in GitLab.
 */
export function parseDuration(text: string): number | null {
  const words = chronoToWords(text.toLowerCase().trim());
  if (words === null) return null;
  const spaced = words
    .replace(new RegExp(NUMBER.source, "g"), (n) => ` ${n} `)
    .replace(/\s+/g, " ")
    .trim();
  const tokens: string[] = [];
  for (const word of spaced.split(" ")) {
    if (word === "") continue;
    if (NUMBER.test(word)) {
      tokens.push(word);
      continue;
    }
    const bare = word.replace(/^,|,$/g, "");
    const unit = UNIT_WORDS.get(bare);
    if (unit) tokens.push(unit);
    else if (!JOIN_WORDS.has(bare)) return null;
  }
  if (tokens.length > 0 && UNIT_SECONDS.has(tokens[0]!)) tokens.unshift("1");
  let seconds = 0;
  tokens.forEach((token, index) => {
    if (!NUMBER.test(token)) return;
    const unit = tokens[index + 1] ?? "seconds";
    seconds += Number(token) * (UNIT_SECONDS.get(unit) ?? 0);
  });
  return seconds === 0 ? null : seconds;
}

/** `4:01:01` → `4 hours 01 minutes 01 seconds`; other text unchanged; `null` for too many parts. */
function chronoToWords(text: string): string | null {
  const compact = text.replace(/ /g, "");
  if (!new RegExp(`${NUMBER.source}(:${NUMBER.source})+`).test(compact)) return text;
  const parts = compact.split(":").reverse();
  if (parts.length > CHRONO_UNITS.length) return null;
  return parts
    .map((value, index) => `${value} ${CHRONO_UNITS[index]}`)
    .reverse()
    .join(" ");
}
