from boai.core.workflow import Rule, Step, Workflow, register

from .models import Parcel


def labelled(parcel, data, actor):
    return None if data.get("label") else "no label"


R_LABELLED = Rule("parcel.labelled", "A parcel is sent with a label.", check=labelled)

PARCEL = register(
    Workflow(
        kind="plugin_parcel",
        model=Parcel,
        start=Parcel.State.DRAFT,
        steps=(
            Step(Parcel.State.SENT, (Parcel.State.DRAFT,), "plugin_app.send", rules=(R_LABELLED,)),
            Step(Parcel.State.RECEIVED, (Parcel.State.SENT,), "plugin_app.send"),
        ),
        finals=frozenset({Parcel.State.RECEIVED}),
        audit_prefix="plugin_app.parcel",
        title="Parcel",
    )
)
