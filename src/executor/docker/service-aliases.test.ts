import { describe, expect, test } from "bun:test";
import { imageNameWithoutTag, invalidAlias, serviceAliases } from "./service-aliases.ts";

const service = (name: string, alias?: string) => ({ name, alias, variables: [] });

describe("service aliases (GitLab's rules)", () => {
  test("strips tag, digest and registry port", () => {
    expect(imageNameWithoutTag("postgres:11")).toBe("postgres");
    expect(imageNameWithoutTag("tutum/wordpress:latest")).toBe("tutum/wordpress");
    expect(imageNameWithoutTag("registry.gitlab-wp.com:4999/tutum/wordpress")).toBe(
      "registry.gitlab-wp.com/tutum/wordpress",
    );
    expect(imageNameWithoutTag("localhost:5000/db:1@sha256:abc")).toBe("localhost/db");
    expect(imageNameWithoutTag("redis@sha256:abc")).toBe("redis");
  });

  test("double-underscore and dash forms of the image name, then the aliases", () => {
    expect(serviceAliases(service("tutum/wordpress:latest", "wp"))).toEqual([
      "tutum__wordpress",
      "tutum-wordpress",
      "wp",
    ]);
    expect(serviceAliases(service("registry.gitlab-wp.com:4999/tutum/wordpress"))).toEqual([
      "registry.gitlab-wp.com__tutum__wordpress",
      "registry.gitlab-wp.com-tutum-wordpress",
    ]);
  });

  test("a plain name gives one alias; several aliases split on commas and spaces", () => {
    expect(serviceAliases(service("postgres:15"))).toEqual(["postgres"]);
    expect(serviceAliases(service("mysql", "db, database  primary"))).toEqual(["mysql", "db", "database", "primary"]);
  });

  test("aliases Docker's DNS cannot serve are named", () => {
    expect(invalidAlias("db")).toBeUndefined();
    expect(invalidAlias("my db")).toContain('"my db"');
    expect(invalidAlias("-x")).toContain("not a valid hostname");
  });
});
