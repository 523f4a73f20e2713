// Which tag a component's `~latest` (or `1`, `1.2`) names.
import { describe, expect, test } from "bun:test";
import { latestVersion } from "./project-files.ts";

describe("latestVersion", () => {
  test("the newest release tag by semantic version; pre-releases and other tags left out", () => {
    expect(latestVersion(["1.9.2", "1.10.0", "v1.2.0", "2.0.0-rc.1", "nightly"])).toBe("1.10.0");
    expect(latestVersion(["v3.0.0", "2.5.1"])).toBe("v3.0.0");
    expect(latestVersion(["main", "nightly"])).toBeNull();
    expect(latestVersion(["1.2.0", "1.2.5", "1.10.1", "2.0.0"], "1")).toBe("1.10.1");
    expect(latestVersion(["1.2.0", "1.2.5", "1.10.1", "2.0.0"], "1.2")).toBe("1.2.5");
    expect(latestVersion(["1.2.0"], "3")).toBeNull();
  });
});
