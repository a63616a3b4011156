"""What family care adds through the Platform's plug-in points: the family record made when a case
closes (the workflow engine's ``on_enter`` hooks of the organ and body workflows), and the payment
workflow, registered with the engine at start-up."""

from . import workflow  # noqa: F401  (the payment workflow)
