"""Who may post to the programme structure's forms, and a minimal valid payload for each."""

ADMIN = {"admin"}
MANAGERS = {"admin", "lead"}

WRITES = {
    "programme:phase-create": {
        "allowed": ADMIN,
        "fields": lambda w: {
            "name": "Second wave (fictional)",
            "starts_on": "2027-01-04",
            "ends_on": "2027-12-31",
        },
    },
    "programme:phase-edit": {"allowed": ADMIN, "fields": lambda w: {"name": "Pilot, renamed"}},
    "programme:provider-create": {
        "allowed": ADMIN,
        "fields": lambda w: {
            "name": "Fictional Gamma NHS Trust",
            "kind": "nhs_trust",
            "ods_code": "TG1",
        },
    },
    "programme:provider-edit": {
        "allowed": MANAGERS,
        "fields": lambda w: {"name": "Fictional Alpha NHS Trust, renamed"},
    },
    "programme:ward-create": {
        "allowed": MANAGERS,
        "fields": lambda w: {"name": "Alpha Three", "service_type": "picu"},
    },
    "programme:ward-edit": {
        "allowed": MANAGERS,
        "fields": lambda w: {"name": "Alpha One, renamed"},
    },
    # Provider B's lead may invite to provider B only: for provider A the form refuses.
    "programme:invite": {
        "allowed": MANAGERS,
        "fields": lambda w: {
            "full_name": "New Fictional Person",
            "email": "new.fictional@example.org",
            "role": "observer",
            "provider": str(w.provider_a.pk),
        },
    },
    "programme:membership-remove": {"allowed": MANAGERS},
}
