// Resolves YAML scalars the way Ruby's Psych (which GitLab uses) does, including its YAML 1.1 quirks.

/** A resolved scalar: its value and Ruby's `to_s` of it; or the error Psych's safe_load raises. */
export type Resolved = { value: string | number | boolean | null; text: string } | { error: string };

const STRINGISH = /^[^\d.:-]?[\p{Alphabetic}_\s!@#$%^&*(){}<>|/\\~;=]+/u;
const TIME = /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/;
const FLOAT = /^(?:[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const INTEGER = /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/;

const string = (s: string): Resolved => ({ value: s, text: s });
const float = (x: number): Resolved => ({ value: x, text: rubyFloatToS(x) });

/**
 * Resolves one scalar. `quoted` covers quoted and block scalars, which Psych always reads as strings;
 * `tag` is the resolved explicit tag (`tag:yaml.org,2002:str` …) or undefined.
 */
export function resolveScalar(source: string, quoted: boolean, tag?: string): Resolved {
  if (quoted || tag === "tag:yaml.org,2002:str") return string(source);
  const plain = tokenize(source);
  if (tag !== "tag:yaml.org,2002:float" || "error" in plain) return plain;
  const x = typeof plain.value === "number" ? plain.value : Number.NaN;
  return Number.isNaN(x) && plain.value !== "NaN"
    ? { error: `invalid value for Float(): ${JSON.stringify(source)}` }
    : float(x);
}

/** Psych's ScalarScanner#tokenize for an untagged plain scalar. */
function tokenize(s: string): Resolved {
  if (s === "") return { value: null, text: "" };
  if (STRINGISH.test(s) || s.includes("\n")) {
    if (s.length > 5 || /^[^ytonf~]/i.test(s)) return string(s);
    if (s === "~" || /^null$/i.test(s)) return { value: null, text: "" };
    if (/^(yes|true|on)$/i.test(s)) return { value: true, text: "true" };
    if (/^(no|false|off)$/i.test(s)) return { value: false, text: "false" };
    return string(s);
  }
  if (TIME.test(s)) return { error: "Tried to load unspecified class: Time" };
  if (DATE.test(s)) return { error: "Tried to load unspecified class: Date" };
  if (/^\+?\.inf$/i.test(s)) return float(Infinity);
  if (/^-\.inf$/i.test(s)) return float(-Infinity);
  if (/^\.nan$/i.test(s)) return float(Number.NaN);
  if (/^:./.test(s)) {
    // A Ruby symbol; GitLab treats symbols like strings.
    const quotedSymbol = /^:(["'])(.*)\1/.exec(s);
    return string(quotedSymbol ? quotedSymbol[2]!.replace(/^:/, "") : s.slice(1));
  }
  if (SEXAGESIMAL_INT.test(s)) return integer(BigInt(sexagesimal(s, (n) => Math.trunc(rubyToF(n)))));
  if (SEXAGESIMAL_FLOAT.test(s)) return float(sexagesimal(s, rubyToF));
  if (FLOAT.test(s)) {
    if (/^[-+]?\.$/.test(s)) return string(s);
    return float(Number(s.replace(/[,_]/g, "").replace(/\.([Ee]|$)/, "$1")));
  }
  if (INTEGER.test(s)) {
    const big = parseRubyInteger(s.replace(/[,_]/g, ""));
    return big === null ? string(s) : integer(big);
  }
  return string(s);
}

function integer(big: bigint): Resolved {
  return { value: Number(big), text: big.toString() };
}

/** Psych's base-60 reading, which weighs the parts as 60^|index-2| (so `1:30` is 5400). */
function sexagesimal(s: string, toNumber: (part: string) => number): number {
  return s.split(":").reduce((sum, part, index) => sum + toNumber(part) * 60 ** Math.abs(index - 2), 0);
}

function rubyToF(part: string): number {
  const match = /^[-+]?\d[\d_]*(\.\d+)?/.exec(part);
  return match ? Number(match[0].replace(/_/g, "")) : 0;
}

/** Ruby's Integer(): `0b`, `0x`, a leading `0` for octal, otherwise decimal. */
function parseRubyInteger(s: string): bigint | null {
  const negative = s.startsWith("-");
  const digits = s.replace(/^[-+]/, "");
  let text = digits;
  if (/^0[0-7]+$/.test(digits)) text = `0o${digits.slice(1)}`;
  try {
    const big = BigInt(text);
    return negative ? -big : big;
  } catch {
    return null;
  }
}

/** Ruby's Float#to_s: `1.0`, `1.5e+20`, `1.0e-05`, `Infinity`. */
export function rubyFloatToS(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mantissa = "", exponent = ""] = x.toExponential().split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    const power = exponent.replace(/^[-+]/, "").padStart(2, "0");
    return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}e${sign}${power}`;
  }
  const text = String(x);
  return text.includes(".") ? text : `${text}.0`;
}
