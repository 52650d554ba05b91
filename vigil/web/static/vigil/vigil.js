// Vigil's page script (an ES module): starts the GOV.UK Frontend and MOJ Frontend components on
// the page, as both packages' documentation says. htmx is loaded by its own <script> tag.
import { initAll as initGovukFrontend } from "../vendor/govuk/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../vendor/moj/moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();

// Content that htmx swaps in gets its components started too. Both packages look for components
// inside the scope they are given, so the scope is each new element's parent; a component that
// is already running there refuses a second start with an InitError, which is expected.
function reportUnlessRunning(error) {
  if (error?.name !== "InitError") {
    console.error(error);
  }
}

document.addEventListener("htmx:after:settle", (event) => {
  for (const node of event.detail?.newContent ?? []) {
    const scope = node instanceof Element && node.isConnected ? node.parentElement : null;
    if (scope) {
      initGovukFrontend({ scope, onError: reportUnlessRunning });
      initMojFrontend({ scope, onError: reportUnlessRunning });
    }
  }
});
