"""Co-production pages, one module per feature: self-assessment rounds and taking part,
involvement, payments, partners.
"""

from .involvement import (  # noqa: F401
    involvement_create,
    involvement_delete,
    involvement_detail,
    involvement_edit,
    involvement_join,
    involvement_list,
    ward_profile,
)
from .partners import (  # noqa: F401
    characteristic_edit,
    characteristic_withdraw,
    partner_detail,
    partner_list,
    profile_edit,
)
from .payments import (  # noqa: F401
    claim_approve,
    claim_create,
    claim_detail,
    claim_list,
    claim_paid,
    claim_withdraw,
    expense_create,
    payments_owed,
    rate_create,
    rate_list,
    receipt,
)
from .rounds import (  # noqa: F401
    action_create,
    action_edit,
    action_review,
    hub,
    round_close,
    round_create,
    round_detail,
    round_qr,
    round_results,
)
from .take_part import (  # noqa: F401
    DRAFT_COOKIE,
    DRAFT_DAYS,
    take_part,
    take_part_check,
    take_part_done,
    take_part_step,
)
