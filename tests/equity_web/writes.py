"""Who may post to the equity forms, and a minimal valid payload for each."""

WRITES = {
    "equity_web:figure-delete": {"allowed": {"admin", "coach", "lead", "ward_member", "partner"}},
}
