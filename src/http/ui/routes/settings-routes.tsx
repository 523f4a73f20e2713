// CI/CD settings: the page, its pipeline source form, and trigger tokens (created once-shown, revoked).
/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { audit } from "../../../auth/audit.ts";
import { createTrigger } from "../../../auth/trigger-tokens.ts";
import { externalUrl } from "../../../config/schema.ts";
import { DomainError, notFound } from "../../../domain/errors.ts";
import { parseDuration } from "../../../pipeline/duration.ts";
import { checkImportTarget, updateProject } from "../../../queue/project-changes.ts";
import { type ProjectAccess, requireActor, routeId, routeProject } from "../data/access.ts";
import { listVariables } from "../data/variables.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import {
  CachesSection,
  RunnersSection,
  SettingsCiCdPage,
  SourceSection,
  type SourceValues,
} from "../pages/settings-ci-cd.tsx";
import { DebugSection, debugWaitText } from "../pages/settings-debug.tsx";
import { TriggersSection } from "../pages/settings-triggers.tsx";
import {
  emptyVariable,
  VariableForm,
  type VariableFormValues,
  VariablesSection,
} from "../pages/settings-variables.tsx";
import { PushEventsSection } from "../pages/settings-webhook.tsx";
import { renderPage } from "../render.tsx";
import { settingsCiCdUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";
import { fieldErrors, formText } from "../views/form-data.ts";

export const SETTINGS = "/:namespace/:project/-/settings/ci_cd";

export interface PageState {
  source?: { values: SourceValues; errors: Record<string, string> };
  variable?: { values: VariableFormValues; errors: Record<string, string> };
  trigger?: { description: string; errors: Record<string, string> };
  poll?: { value: string; errors: Record<string, string> };
  debug?: { value: string; error: string };
  newSecret?: { title: string; value: string };
  status?: 200 | 201 | 422;
}

export function settingsPage(c: UiContext, access: ProjectAccess, state: PageState = {}, variableForm?: Child) {
  const { db, repos } = c.get("deps").store;
  const p = access.project;
  const token = c.get("csrfToken");
  const triggerRows = repos.triggers.withOwnersOfProject(p.id);
  const source = state.source ?? {
    values: {
      ci_config: p.ciConfig ?? "",
      import_url: p.importUrl ?? "",
      ci_config_path: p.ciConfigPath,
      default_branch: p.defaultBranch,
    },
    errors: {},
  };
  const variable = state.variable ?? { values: emptyVariable(), errors: {} };
  return renderPage(
    c,
    `CI/CD settings · ${p.name}`,
    <SettingsCiCdPage project={p} newSecret={state.newSecret}>
      <SourceSection project={p} csrfToken={token} values={source.values} errors={source.errors} />
      <VariablesSection
        project={p}
        csrfToken={token}
        variables={listVariables(db, p.id)}
        form={
          variableForm ?? (
            <VariableForm project={p} csrfToken={token} values={variable.values} errors={variable.errors} />
          )
        }
      />
      <PushEventsSection
        project={p}
        baseUrl={externalUrl(c.get("deps").config)}
        secret={repos.webhooks.findSecret(p.id)}
        csrfToken={token}
        pollInterval={state.poll?.value ?? (p.mirrorPollInterval === null ? "" : String(p.mirrorPollInterval))}
        errors={state.poll?.errors ?? {}}
      />
      <TriggersSection
        project={p}
        csrfToken={token}
        triggers={triggerRows}
        description={state.trigger?.description ?? ""}
        errors={state.trigger?.errors ?? {}}
      />
      <DebugSection
        project={p}
        csrfToken={token}
        value={state.debug?.value ?? debugWaitText(p.debugOnFailure)}
        error={state.debug?.error}
      />
      <RunnersSection runners={repos.runners.all()} />
      <CachesSection project={p} csrfToken={token} />
    </SettingsCiCdPage>,
    { status: state.status ?? 200 },
  );
}

export function addSettingsRoutes(r: PageRouter): void {
  r.get(SETTINGS, (c) => settingsPage(c, routeProject(c, "admin_variables")));

  r.post(`${SETTINGS}/source`, async (c) => {
    const actor = requireActor(c);
    const access = routeProject(c, "update_project");
    const form = await c.req.parseBody();
    const values: SourceValues = {
      ci_config: formText(form, "ci_config"),
      import_url: formText(form, "import_url").trim(),
      ci_config_path: formText(form, "ci_config_path").trim() || ".gitlab-ci.yml",
      default_branch: formText(form, "default_branch").trim(),
    };
    const inline = !access.project.importUrl;
    const errors: Record<string, string> = {};
    if (inline) {
      const lint = await c.get("deps").pipelines.lint(null, values.ci_config, actor.user.id);
      if (!lint.valid) errors.ci_config = lint.errors.join("\n");
    }
    if (!values.default_branch) errors.default_branch = "can't be blank";
    if (Object.keys(errors).length === 0) {
      try {
        const fields = inline
          ? { ci_config: values.ci_config, default_branch: values.default_branch }
          : {
              import_url: values.import_url,
              ci_config_path: values.ci_config_path,
              default_branch: values.default_branch,
            };
        await checkImportTarget(actor.user, fields, c.get("deps").config.limits.import_url_allowlist);
        updateProject(c.get("deps").store.db, actor.user, access.project, fields);
        setFlash(c, "notice", "Pipeline source saved.");
        return c.redirect(settingsCiCdUrl(access.project), 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        Object.assign(errors, fieldErrors(err));
      }
    }
    return settingsPage(c, access, { source: { values, errors }, status: 422 });
  });

  r.post(`${SETTINGS}/reset_cache`, (c) => {
    const access = routeProject(c, "update_project");
    const { db, repos } = c.get("deps").store;
    const index = repos.projects.bumpJobsCacheIndex(access.project.id);
    audit(db, {
      action: "runner_caches_cleared",
      actor: c.get("actor"),
      projectId: access.project.id,
      targetType: "Project",
      targetId: access.project.id,
      details: { jobs_cache_index: index },
    });
    setFlash(c, "notice", "Project cache successfully reset.");
    return c.redirect(`${settingsCiCdUrl(access.project)}#caches-title`, 303);
  });

  r.post(`${SETTINGS}/triggers`, async (c) => {
    const actor = requireActor(c);
    const access = routeProject(c, "admin_triggers");
    const description = formText(await c.req.parseBody(), "description").trim();
    if (description.length > 255) {
      return settingsPage(c, access, {
        trigger: { description, errors: { description: "is too long (maximum is 255 characters)" } },
        status: 422,
      });
    }
    const { db } = c.get("deps").store;
    const { token, row } = createTrigger(db, { projectId: access.project.id, ownerId: actor.user.id, description });
    audit(db, {
      action: "trigger_created",
      actor,
      projectId: access.project.id,
      targetType: "Trigger",
      targetId: row.id,
    });
    return settingsPage(c, access, { newSecret: { title: "Your new trigger token", value: token }, status: 201 });
  });

  r.post(`${SETTINGS}/triggers/:id{[0-9]+}/delete`, (c) => {
    const access = routeProject(c, "admin_triggers");
    const { db, repos } = c.get("deps").store;
    const removed = repos.triggers.deleteInProject(access.project.id, routeId(c));
    if (!removed) throw notFound("Trigger");
    audit(db, {
      action: "trigger_revoked",
      actor: c.get("actor"),
      projectId: access.project.id,
      targetType: "Trigger",
      targetId: removed.id,
    });
    setFlash(c, "notice", "Trigger token revoked.");
    return c.redirect(`${settingsCiCdUrl(access.project)}#triggers-title`, 303);
  });

  r.post(`${SETTINGS}/webhook`, (c) => {
    const actor = requireActor(c);
    const access = routeProject(c, "admin_webhooks");
    const { db, repos } = c.get("deps").store;
    const row = repos.webhooks.rotateSecret(access.project.id, actor.user.id);
    audit(db, { action: "webhook_secret_created", actor, projectId: access.project.id });
    return settingsPage(c, access, { newSecret: { title: "Your new webhook secret", value: row.secret }, status: 201 });
  });

  r.post(`${SETTINGS}/webhook/delete`, (c) => {
    const access = routeProject(c, "admin_webhooks");
    const { db, repos } = c.get("deps").store;
    if (!repos.webhooks.deleteSecret(access.project.id)) throw notFound("Webhook");
    audit(db, { action: "webhook_secret_deleted", actor: c.get("actor"), projectId: access.project.id });
    setFlash(c, "notice", "Webhook secret removed.");
    return c.redirect(`${settingsCiCdUrl(access.project)}#push-title`, 303);
  });

  r.post(`${SETTINGS}/debug`, async (c) => {
    const actor = requireActor(c);
    const access = routeProject(c, "update_project");
    const value = formText(await c.req.parseBody(), "debug_on_failure").trim();
    const seconds = value ? parseDuration(value) : 0;
    let error = seconds === null ? "must be a duration such as 10m or 1h" : "";
    if (!error) {
      try {
        updateProject(c.get("deps").store.db, actor.user, access.project, {
          debug_on_failure: Math.floor(seconds ?? 0) || null,
        });
        setFlash(c, "notice", seconds ? `A failed job waits ${value} for a terminal.` : "Debug on failure is off.");
        return c.redirect(`${settingsCiCdUrl(access.project)}#debug-title`, 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        error = Object.values(fieldErrors(err))[0] ?? err.message;
      }
    }
    return settingsPage(c, access, { debug: { value, error }, status: 422 });
  });

  r.post(`${SETTINGS}/webhook/poll`, async (c) => {
    const actor = requireActor(c);
    const access = routeProject(c, "update_project");
    const value = formText(await c.req.parseBody(), "mirror_poll_interval").trim();
    const errors: Record<string, string> = {};
    if (value && !/^\d+$/.test(value)) errors.mirror_poll_interval = "must be a whole number of seconds";
    if (Object.keys(errors).length === 0) {
      try {
        updateProject(c.get("deps").store.db, actor.user, access.project, {
          mirror_poll_interval: value ? Number(value) : null,
        });
        setFlash(c, "notice", value ? `The repository is polled every ${value} s.` : "Polling is off.");
        return c.redirect(`${settingsCiCdUrl(access.project)}#push-title`, 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        Object.assign(errors, fieldErrors(err));
      }
    }
    return settingsPage(c, access, { poll: { value, errors }, status: 422 });
  });
}
