"""docs/adr/011-permissions.md shows GRANTS as a table; the two must change together."""

import copy
from pathlib import Path

from coproduce.core.scoping import (
    ADMIN_GRANTS,
    GRANTS,
    ROLE_ADMIN,
    ROLE_COACH,
    ROLE_LEAD,
    ROLE_OBSERVER,
    ROLE_PARTNER,
    ROLE_WARD,
    Level,
    Permission,
)

ADR = Path(__file__).resolve().parents[2] / "docs" / "adr" / "011-permissions.md"
COLUMNS = {
    "admin": ROLE_ADMIN,
    "coach": ROLE_COACH,
    "lead": ROLE_LEAD,
    "ward team member": ROLE_WARD,
    "partner": ROLE_PARTNER,
    "observer": ROLE_OBSERVER,
}


def parse_table(text: str) -> dict[str, dict[str, str]]:
    """The first Markdown table whose first heading is "permission": {permission: {role: cell}}."""
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("| permission |"))
    headings = [c.strip() for c in lines[start].strip("|").split("|")]
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == len(headings), f"Row with the wrong number of cells: {line}"
        rows[cells[0].strip("`")] = {
            COLUMNS[h]: c for h, c in zip(headings[1:], cells[1:], strict=True)
        }
    return rows


def cells_from_code(grants, admin_grants) -> dict[str, dict[str, str]]:
    """What the table must say for these grants."""
    rows = {}
    for permission in Permission:
        row = {ROLE_ADMIN: "yes" if permission in admin_grants else "-"}
        for role in COLUMNS.values():
            if role != ROLE_ADMIN:
                level = grants[permission].get(role)
                row[role] = level.value.replace("_", " ") if level else "-"
        rows[permission.value] = row
    return rows


def differences(table, grants, admin_grants) -> list[str]:
    want = cells_from_code(grants, admin_grants)
    out = [f"{p}: missing from the table" for p in sorted(set(want) - set(table))]
    out += [f"{p}: in the table but not a permission" for p in sorted(set(table) - set(want))]
    for permission in sorted(set(want) & set(table)):
        for role, cell in want[permission].items():
            if table[permission].get(role) != cell:
                out.append(
                    f"{permission}, {role}: the table says {table[permission].get(role)!r}, "
                    f"the code says {cell!r}"
                )
    return out


def test_the_adr_table_matches_the_grants():
    table = parse_table(ADR.read_text(encoding="utf-8"))
    assert not differences(table, GRANTS, ADMIN_GRANTS), "\n".join(
        differences(table, GRANTS, ADMIN_GRANTS)
    )


def test_every_cell_of_the_table_is_a_level_yes_or_none():
    allowed = {level.value.replace("_", " ") for level in Level} | {"-"}
    for permission, row in parse_table(ADR.read_text(encoding="utf-8")).items():
        assert row[ROLE_ADMIN] in {"yes", "-"}, permission
        for role, cell in row.items():
            if role != ROLE_ADMIN:
                assert cell in allowed, f"{permission}, {role}: {cell!r}"


def test_a_change_to_the_grants_alone_is_caught():
    table = parse_table(ADR.read_text(encoding="utf-8"))
    changed = copy.deepcopy(GRANTS)
    changed[Permission.RUN_ROUNDS] = {ROLE_LEAD: Level.PROVIDER, ROLE_COACH: Level.WARD}
    assert differences(table, changed, ADMIN_GRANTS) == [
        "run_rounds, coach: the table says '-', the code says 'ward'"
    ]
    fewer_admin = ADMIN_GRANTS - {Permission.VIEW_AUDIT}
    assert differences(table, GRANTS, fewer_admin) == [
        "view_audit, programme_admin: the table says 'yes', the code says '-'"
    ]


def test_a_change_to_the_table_alone_is_caught():
    text = ADR.read_text(encoding="utf-8").replace(
        "| `manage_people` | yes | - | provider |", "| `manage_people` | yes | - | ward |"
    )
    assert differences(parse_table(text), GRANTS, ADMIN_GRANTS) == [
        "manage_people, provider_lead: the table says 'ward', the code says 'provider'"
    ]
