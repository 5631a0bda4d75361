// Runs first thing in <body>, from our own origin so the Content-Security-Policy allows it.
// Marks the page for the NHS.UK frontend: "js-enabled" for any browser running scripts,
// "nhsuk-frontend-supported" for browsers that run ES modules (init.js is one).
document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('nhsuk-frontend-supported')
}
