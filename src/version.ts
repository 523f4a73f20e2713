// The program's version, from package.json (embedded in the binary at build time).
import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
