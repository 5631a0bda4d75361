"""Who may post to the improvement forms, and a minimal valid payload for each."""

from datetime import timedelta

from .builders import MONDAY, catalogue_measure

EDITORS = {"admin", "coach", "lead", "ward_member", "partner"}
ADMIN = {"admin"}
A_DATE = "2025-02-03"


WRITES = {
    "improvement:project-create": {
        "allowed": EDITORS,
        "fields": lambda w: {
            "ward": str(w.ward_a1.pk),
            "title": "Fewer restraints at night (fictional)",
            "problem": "Restraint is used more at night.",
            "aim_what": "Fewer restraints",
            "aim_for_whom": "everyone on the ward",
            "aim_how_much": "by half",
            "aim_by_when": "2027-06-30",
            "focus_groups": ["autistic"],
            "mha_principles": ["choice_autonomy"],
        },
    },
    "improvement:project-edit": {"allowed": EDITORS, "fields": lambda w: {"title": "Renamed"}},
    "improvement:project-delete": {"allowed": EDITORS},
    "improvement:member-add": {
        "allowed": EDITORS,
        "fields": lambda w: {"user": str(w.users["ward_member"].pk), "role_note": "Lead nurse"},
    },
    "improvement:member-remove": {"allowed": EDITORS},
    "improvement:score-add": {
        "allowed": EDITORS,
        "fields": lambda w: {"score": "2", "recorded_on": A_DATE, "note": "Testing changes"},
    },
    "improvement:driver-create": {
        "allowed": EDITORS,
        "fields": lambda w: {"kind": "primary", "text": "Staff feel able to pause", "order": "2"},
    },
    "improvement:driver-edit": {"allowed": EDITORS, "fields": lambda w: {"text": "Renamed"}},
    "improvement:driver-delete": {"allowed": EDITORS},
    "improvement:idea-create": {
        "allowed": EDITORS,
        "fields": lambda w: {"title": "Night-time check-in", "source": "staff"},
    },
    "improvement:idea-edit": {"allowed": EDITORS, "fields": lambda w: {"title": "Renamed idea"}},
    "improvement:idea-delete": {"allowed": EDITORS},
    "improvement:cycle-create": {
        "allowed": EDITORS,
        "fields": lambda w: {
            "objective": "Try it twice",
            "question": "Does it help?",
            "prediction": "Yes",
            "start_date": A_DATE,
        },
    },
    "improvement:cycle-plan": {"allowed": EDITORS, "fields": lambda w: {"objective": "Changed"}},
    "improvement:cycle-do": {"allowed": EDITORS, "fields": lambda w: {"what_happened": "It ran"}},
    "improvement:cycle-study": {
        "allowed": EDITORS,
        "fields": lambda w: {"study_results": "Both felt heard"},
    },
    "improvement:cycle-act": {
        "allowed": EDITORS,
        "fields": lambda w: {"act": "adopt", "act_notes": "Keep it", "end_date": A_DATE},
    },
    "improvement:cycle-delete": {"allowed": EDITORS},
    "improvement:measure-create": {
        "allowed": ADMIN,
        "fields": lambda w: {
            "name": "Night checks (fictional)",
            "definition": "Checks done at night.",
            "measure_type": "process",
            "improvement": "increase",
            "frequency": "weekly",
            "unit": "checks",
        },
    },
    "improvement:measure-edit": {"allowed": ADMIN, "fields": lambda w: {"name": "Renamed"}},
    "improvement:ward-measure-create": {
        "allowed": EDITORS,
        "fields": lambda w: {
            "name": "Ward's own count (fictional)",
            "definition": "A count of the ward's own.",
            "measure_type": "process",
            "improvement": "increase",
            "frequency": "weekly",
            "unit": "checks",
        },
    },
    "improvement:ward-measure-edit": {"allowed": EDITORS, "fields": lambda w: {"target": "70"}},
    "improvement:phase-create": {
        "allowed": EDITORS,
        "fields": lambda w: {"starts_on": str(MONDAY + timedelta(weeks=3)), "reason": "New rota"},
    },
    "improvement:phase-delete": {"allowed": EDITORS},
    "improvement:point-delete": {"allowed": EDITORS},
    "improvement:adopt-measure": {
        "allowed": EDITORS,
        "fields": lambda w: {
            "measure": str(catalogue_measure(name="Another measure (fictional)").pk)
        },
    },
}
