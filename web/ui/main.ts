// Entry of the pages' client script: wires behaviour to elements by data attributes; every page works without it.
import { initCiEditor } from "./ci-editor.ts";
import { initConfirm } from "./confirm.ts";
import { initCopyButtons } from "./copy.ts";
import { initLint } from "./lint.ts";
import { initLiveRegions } from "./live-regions.ts";
import { initLogSearch } from "./log-search.ts";
import { initLogView } from "./log-view.ts";
import { initSourceToggle } from "./source-toggle.ts";

// First: live regions keep the server's markup of each region before any other script changes the DOM.
initLiveRegions(document);
initConfirm(document);
initCopyButtons(document);
initLint(document);
initCiEditor(document);
initLogView(document);
initLogSearch(document);
initSourceToggle(document);
