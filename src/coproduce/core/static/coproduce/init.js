import { initAll } from '../nhsuk/nhsuk-frontend.min.js'
import { initTableHints } from './tables.js'

// Starts every NHS.UK component on the page (header "More" menu, error summary focus, ...).
// A component that fails to start is reported as an error, so browser tests notice it.
initAll({
  onError: (error) => console.error('NHS.UK frontend did not start:', error)
})
initTableHints()
