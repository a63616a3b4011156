"""What family care adds through the Platform's plug-in points: the family record made when a case
closes (the workflow engine's ``on_enter`` hooks of the organ and body workflows), and the payment
workflow, registered with the engine at start-up."""

from boai.core.workflow import on_enter

from . import workflow  # noqa: F401  (the payment workflow)
from .services.families import family_for_closed_case


@on_enter("organ", "closed")
@on_enter("body", "closed")
def family_record_on_close(move) -> None:
    """The family record of a closed donation case, with its main contact (idempotent)."""
    family_for_closed_case(case=move.obj, actor=move.actor, when=move.when)
