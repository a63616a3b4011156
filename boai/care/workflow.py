"""The payment workflow, declared once for the Platform's engine (``boai.core.workflow``)."""
