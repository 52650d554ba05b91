// Run at the start of <body>, before anything is painted: tells GOV.UK Frontend's and MOJ
// Frontend's styles that JavaScript runs, and whether the browser supports their ES modules.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
