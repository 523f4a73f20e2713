// Entry of the pages' client script: wires behaviour to elements by data attributes; every page works without it.
import { initConfirm } from "./confirm.ts";
import { initCopyButtons } from "./copy.ts";
import { initLint } from "./lint.ts";
import { initLiveRegions } from "./live-regions.ts";
import { initLogView } from "./log-view.ts";
import { initSourceToggle } from "./source-toggle.ts";

initConfirm(document);
initCopyButtons(document);
initLint(document);
initLiveRegions(document);
initLogView(document);
initSourceToggle(document);
