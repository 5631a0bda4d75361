"""Quality improvement pages, one module per feature, every record fetched through scoping.

Anyone who can see a project reads it; changing it needs the EDIT_WORK permission on its
provider and ward (observers get 403); another provider's records answer 404.
"""

from .cycles import (  # noqa: F401
    BLANK_TASK_ROWS,
    STAGES,
    cycle_create,
    cycle_delete,
    cycle_detail,
    cycle_plan,
    cycle_stage,
)
from .data import data_entry, point_delete  # noqa: F401
from .diagrams import (  # noqa: F401
    driver_create,
    driver_delete,
    driver_edit,
    idea_create,
    idea_delete,
    idea_detail,
    idea_edit,
)
from .library import library, library_detail  # noqa: F401
from .measures import (  # noqa: F401
    adopt_measure,
    measure_catalogue,
    measure_create,
    measure_edit,
    phase_create,
    phase_delete,
    programme_summary,
    provider_summary,
    ward_measure_create,
    ward_measure_csv,
    ward_measure_detail,
    ward_measure_edit,
    ward_summary,
)
from .projects import (  # noqa: F401
    member_add,
    member_remove,
    project_create,
    project_delete,
    project_detail,
    project_edit,
    project_list,
    score_add,
)
from .upload import upload, upload_preview  # noqa: F401
