// CI/CD settings, variables: add, edit (a masked value is kept when left blank) and remove, each audited.
/** @jsxImportSource hono/jsx */
import { auditVariableChange } from "../../../auth/audit.ts";
import { DomainError } from "../../../domain/errors.ts";
import { clientIp } from "../../env.ts";
import { type ProjectAccess, routeId, routeProject } from "../data/access.ts";
import { createVariable, deleteVariable, findVariable, updateVariable, type VariableInput } from "../data/variables.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { VariableForm, type VariableFormValues } from "../pages/settings-variables.tsx";
import { settingsCiCdUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";
import { fieldErrors, formChecked, formText } from "../views/form-data.ts";
import { SETTINGS, settingsPage } from "./settings-routes.tsx";

const variableInput = (form: Record<string, unknown>): VariableInput & { value: string } => ({
  key: formText(form, "key").trim(),
  value: formText(form, "value"),
  masked: formChecked(form, "masked"),
  protected: formChecked(form, "protected"),
  raw: formChecked(form, "raw"),
});

/** The audit entry of a variable added, changed or removed through the settings page. */
const recordChange = (c: UiContext, access: ProjectAccess, key: string, change: "created" | "updated" | "deleted") =>
  auditVariableChange(c.get("deps").store.db, {
    actor: c.get("actor"),
    projectId: access.project.id,
    key,
    change,
    ip: clientIp(c),
  });

export function addVariableRoutes(r: PageRouter): void {
  r.post(`${SETTINGS}/variables`, async (c) => {
    const access = routeProject(c, "admin_variables");
    const input = variableInput(await c.req.parseBody());
    const { db } = c.get("deps").store;
    try {
      const row = createVariable(db, access.project.id, input);
      recordChange(c, access, row.key, "created");
      setFlash(c, "notice", `Variable ${row.key} added.`);
      return c.redirect(`${settingsCiCdUrl(access.project)}#variables-title`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return settingsPage(c, access, { variable: { values: input, errors: fieldErrors(err) }, status: 422 });
    }
  });

  const editPage = (
    c: UiContext,
    access: ProjectAccess,
    id: number,
    values?: VariableFormValues,
    errors: Record<string, string> = {},
  ) => {
    const current = findVariable(c.get("deps").store.db, access.project.id, id);
    const shown = values ?? {
      key: current.key,
      value: current.value,
      masked: current.masked,
      protected: current.protected,
      raw: current.raw,
    };
    return settingsPage(
      c,
      access,
      { status: values ? 422 : 200 },
      <VariableForm
        project={access.project}
        csrfToken={c.get("csrfToken")}
        values={shown}
        errors={errors}
        editing={current}
      />,
    );
  };

  r.get(`${SETTINGS}/variables/:id{[0-9]+}/edit`, (c) => editPage(c, routeProject(c, "admin_variables"), routeId(c)));

  r.post(`${SETTINGS}/variables/:id{[0-9]+}`, async (c) => {
    const access = routeProject(c, "admin_variables");
    const { db } = c.get("deps").store;
    const current = findVariable(db, access.project.id, routeId(c));
    const input = variableInput(await c.req.parseBody());
    try {
      const row = updateVariable(db, current, input);
      recordChange(c, access, row.key, "updated");
      setFlash(c, "notice", `Variable ${row.key} saved.`);
      return c.redirect(`${settingsCiCdUrl(access.project)}#variables-title`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return editPage(c, access, current.id, input, fieldErrors(err));
    }
  });

  r.post(`${SETTINGS}/variables/:id{[0-9]+}/delete`, (c) => {
    const access = routeProject(c, "admin_variables");
    const { db } = c.get("deps").store;
    const current = findVariable(db, access.project.id, routeId(c));
    deleteVariable(db, current);
    recordChange(c, access, current.key, "deleted");
    setFlash(c, "notice", `Variable ${current.key} removed.`);
    return c.redirect(`${settingsCiCdUrl(access.project)}#variables-title`, 303);
  });
}
