// The signature check against GitHub's documented test values, and the refusals of readDelivery.
import { describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { DeliveryError, readDelivery } from "./forge-payload.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("readDelivery", () => {
  test('GitHub\'s documented example (secret "It\'s a Secret to Everybody", body "Hello, World!") verifies', () => {
    const headers = new Headers({
      "X-GitHub-Event": "ping",
      "X-GitHub-Delivery": "d-1",
      "X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    });
    expect(readDelivery(headers, enc("Hello, World!"), "It's a Secret to Everybody")).toEqual({
      kind: "ignored",
      forge: "github",
      deliveryId: "d-1",
      event: "ping",
    });
    expect(() => readDelivery(headers, enc("Hello, World?"), "It's a Secret to Everybody")).toThrow(DeliveryError);
  });

  test("a delivery without an event header, a signature or a delivery id is refused with what is missing", () => {
    const body = enc("{}");
    const status = (headers: Record<string, string>) => {
      try {
        readDelivery(new Headers(headers), body, "s");
        return "accepted";
      } catch (error) {
        return `${(error as DeliveryError).status} ${(error as DeliveryError).message}`;
      }
    };
    expect(status({})).toStartWith("400 not a webhook");
    expect(status({ "X-GitHub-Event": "push" })).toBe("401 X-Hub-Signature-256 is missing");
    expect(status({ "X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "s" })).toBe("400 x-gitlab-event-uuid is missing");
    expect(status({ "X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "t" })).toBe("401 X-Gitlab-Token does not match");
  });

  const push = { ref: "refs/tags/v2", before: "0".repeat(40), after: "a".repeat(40) };
  const sign = (body: string) => createHmac("sha256", "s3cret").update(body).digest("hex");

  test("GitHub's form-encoded deliveries (`payload=…`) are signed over the raw form body", () => {
    const body = new URLSearchParams({ payload: JSON.stringify(push) }).toString();
    const headers = new Headers({
      "Content-Type": "application/x-www-form-urlencoded",
      "X-GitHub-Event": "push",
      "X-GitHub-Delivery": "d-2",
      "X-Hub-Signature-256": `sha256=${sign(body)}`,
    });
    expect(readDelivery(headers, enc(body), "s3cret")).toEqual({
      kind: "push",
      forge: "github",
      deliveryId: "d-2",
      push,
    });
  });

  test("Forgejo's own signature header is enough without X-Hub-Signature-256", () => {
    const body = JSON.stringify(push);
    const headers = new Headers({
      "X-Forgejo-Event": "push",
      "X-Forgejo-Delivery": "d-3",
      "X-Forgejo-Signature": sign(body),
    });
    expect(readDelivery(headers, enc(body), "s3cret")).toMatchObject({ kind: "push", forge: "forgejo" });
    headers.set("X-Forgejo-Signature", sign(`${body} `));
    expect(() => readDelivery(headers, enc(body), "s3cret")).toThrow("the signature does not match");
  });
});
