// The HTTP layer's logger, and the access log: one line per request (method, path without query, status, time).
import type { MiddlewareHandler } from "hono";
import { createLogger, type Logger } from "../../logger.ts";
import type { AppDeps } from "../env.ts";

/** The logger the app and the pages write to: deps.logger, else one built from `config.log`. */
export function httpLogger(deps: AppDeps): Logger {
  return deps.logger ?? createLogger(deps.config.log);
}

/**
 * Logs each request once it is answered. The query string is left out: tokens may travel in it
 * (`?private_token=`, trigger tokens), and a log must not hold credentials.
 */
export function accessLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.info("request", {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  };
}
