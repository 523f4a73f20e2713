// Durations as GitLab reads them (its ChronicDuration): `1h 30m`, `90 minutes`, `3 hours and 30 min`, `1:30:00`, `3600`.

const UNIT_SECONDS: Record<string, number> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86_400,
  weeks: 604_800,
  months: 2_592_000,
  years: 31_557_600,
};

const UNIT_WORDS: Record<string, string> = {
  seconds: "seconds", second: "seconds", secs: "seconds", sec: "seconds", s: "seconds",
  minutes: "minutes", minute: "minutes", mins: "minutes", min: "minutes", m: "minutes",
  hours: "hours", hour: "hours", hrs: "hours", hr: "hours", h: "hours",
  days: "days", day: "days", dy: "days", d: "days",
  weeks: "weeks", week: "weeks", wks: "weeks", wk: "weeks", w: "weeks",
  months: "months", month: "months", mos: "months", mo: "months",
  years: "years", year: "years", yrs: "years", yr: "years", y: "years",
};

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
  const spaced = words.replace(new RegExp(NUMBER.source, "g"), (n) => ` ${n} `).replace(/\s+/g, " ").trim();
  const tokens: string[] = [];
  for (const word of spaced.split(" ")) {
    if (word === "") continue;
    if (NUMBER.test(word)) {
      tokens.push(word);
      continue;
    }
    const bare = word.replace(/^,|,$/g, "");
    const unit = UNIT_WORDS[bare];
    if (unit) tokens.push(unit);
    else if (!JOIN_WORDS.has(bare)) return null;
  }
  if (tokens.length > 0 && UNIT_SECONDS[tokens[0]!] !== undefined) tokens.unshift("1");
  let seconds = 0;
  tokens.forEach((token, index) => {
    if (!NUMBER.test(token)) return;
    const unit = tokens[index + 1] ?? "seconds";
    seconds += Number(token) * (UNIT_SECONDS[unit] ?? 0);
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
