// The signature check against GitHub's documented test values, and the refusals of readDelivery.
import { describe, expect, test } from "bun:test";
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
});
