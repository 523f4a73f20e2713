// The web UI: server-rendered pages with GitLab's paths, mounted by boot next to the API.
import { Hono } from "hono";
import { httpLogger } from "../middleware/access-log.ts";
import { addAssetRoutes } from "./assets.ts";
import type { UiDeps, UiEnv } from "./env.ts";
import { pageErrorHandler } from "./error-handler.tsx";
import { pageRouter } from "./page-routes.ts";
import { addAdminRoutes } from "./routes/admin-routes.tsx";
import { addArtifactRoutes } from "./routes/artifact-routes.tsx";
import { addAuthRoutes } from "./routes/auth-routes.tsx";
import { addBadgeRoutes } from "./routes/badge-routes.ts";
import { addCiEditorRoutes } from "./routes/ci-editor-routes.tsx";
import { addEnvironmentRoutes } from "./routes/environment-routes.tsx";
import { addJobRoutes } from "./routes/job-routes.tsx";
import { addLiveRoutes } from "./routes/live-routes.ts";
import { addMemberRoutes } from "./routes/member-routes.tsx";
import { addPipelineRoutes } from "./routes/pipeline-routes.tsx";
import { addProfileRoutes } from "./routes/profile-routes.tsx";
import { addProjectRoutes } from "./routes/project-routes.tsx";
import { addRecordingRoutes } from "./routes/recording-routes.tsx";
import { addScheduleRoutes } from "./routes/schedule-routes.tsx";
import { addSettingsRoutes } from "./routes/settings-routes.tsx";
import { addShareLinkRoutes } from "./routes/share-link-routes.tsx";
import { addTokenRoutes } from "./routes/token-routes.tsx";
import { addUserRoutes } from "./routes/user-routes.tsx";
import { addVariableRoutes } from "./routes/variable-routes.tsx";

export type { UiDeps } from "./env.ts";

/**
 * All page routes. Mount with `app.route("/", createUiRoutes(deps))` AFTER the API routes: the project pages use
 * `/:namespace/:project/...` and must not shadow `/api/v4`. It registers no catch-all, so the terminal helper's
 * `…/-/jobs/:id/terminal` routes stay theirs.
 */
export function createUiRoutes(deps: UiDeps): Hono<UiEnv> {
  const app = new Hono<UiEnv>();
  app.onError(pageErrorHandler(httpLogger(deps)));
  addAssetRoutes(app);
  const r = pageRouter(app, deps);
  addAuthRoutes(r);
  addTokenRoutes(r);
  addProfileRoutes(r);
  addAdminRoutes(r);
  addLiveRoutes(r);
  addBadgeRoutes(r);
  addPipelineRoutes(r);
  addScheduleRoutes(r);
  addEnvironmentRoutes(r);
  addJobRoutes(r);
  addRecordingRoutes(r);
  addShareLinkRoutes(r);
  addCiEditorRoutes(r);
  addArtifactRoutes(r);
  addSettingsRoutes(r);
  addVariableRoutes(r);
  addMemberRoutes(r);
  addProjectRoutes(r);
  addUserRoutes(r);
  return app;
}
