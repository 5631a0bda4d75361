// Counts this page view on our own server. Only included after analytics cookies were accepted.
const script = document.currentScript
const endpoint = script && script.dataset.endpoint
if (endpoint) {
  const body = new URLSearchParams({ path: window.location.pathname })
  fetch(endpoint, { method: 'POST', body, credentials: 'same-origin', keepalive: true }).catch(() => {})
}
