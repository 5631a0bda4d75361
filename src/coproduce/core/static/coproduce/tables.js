// Wide tables sit in <div class="app-table-wrap"> and scroll sideways on their own.
// When a table is wider than its box (on a phone, mostly), a line above it says so;
// the line goes away again when there is room.
const HINT_CLASS = 'app-table-wrap__hint'
const HINT_TEXT = 'Scroll the table sideways to see all of it'

function hintFor (wrap) {
  const before = wrap.previousElementSibling
  if (before && before.classList.contains(HINT_CLASS)) {
    return before
  }
  const hint = document.createElement('p')
  hint.className = `nhsuk-body-s ${HINT_CLASS}`
  hint.textContent = HINT_TEXT
  hint.hidden = true
  wrap.before(hint)
  return hint
}

// A table whose borders poke out by a pixel or two hides nothing worth scrolling to.
const SLACK_PX = 8

function update (wrap) {
  const scrolls = wrap.scrollWidth > wrap.clientWidth + SLACK_PX
  const hint = hintFor(wrap)
  hint.hidden = !scrolls
}

export function initTableHints (scope = document) {
  const wraps = [...scope.querySelectorAll('.app-table-wrap')]
  wraps.forEach(update)
  if ('ResizeObserver' in window) {
    const observer = new window.ResizeObserver((entries) => {
      entries.forEach((entry) => update(entry.target))
    })
    wraps.forEach((wrap) => observer.observe(wrap))
  }
}
