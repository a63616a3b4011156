"""Write docs/workflows.md from the workflow declaration (cases.workflow): a state diagram and a
table of the steps, their roles and their rules. A test fails when the file is out of date."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from boai.accounts.roles import PERMISSIONS
from boai.cases.workflow import WORKFLOWS, mermaid

TARGET = Path(settings.BASE_DIR) / "docs" / "workflows.md"
TITLES = {"organ": "Organ donation case", "body": "Body donation case"}


def render() -> str:
    with translation.override("en"):
        out = [
            "# Donation case workflows",
            "",
            "Generated from `boai/cases/workflow.py` by `python manage.py workflow_docs` (`make docs`);",
            "do not edit by hand. Each arrow is labelled with the permission the step needs",
            "(`boai/accounts/roles.py` gives it to roles) and, in brackets, the rules it must meet.",
            "",
        ]
        for kind, flow in WORKFLOWS.items():
            out += [f"## {TITLES[kind]}", "", "```mermaid", mermaid(flow), "```", ""]
            out += ["| step | from | to | who | rules |", "| --- | --- | --- | --- | --- |"]
            opening_roles = ", ".join(sorted(PERMISSIONS[flow.start_perm]))
            rules = "<br>".join(f"`{r.code}` {r.text}" for r in flow.start_rules) or "—"
            out.append(f"| open the case | — | `{flow.start}` | {opening_roles} | {rules} |")
            for step in flow.steps:
                roles = ", ".join(sorted(PERMISSIONS[step.perm]))
                sources = ", ".join(f"`{s}`" for s in step.sources)
                rules = "<br>".join(f"`{r.code}` {r.text}" for r in step.rules) or "—"
                exit_mark = " (exit)" if step.exit else ""
                out.append(f"| {flow.verb(step.to)}{exit_mark} | {sources} | `{step.to}` | {roles} | {rules} |")
            out.append("")
        return "\n".join(out)


class Command(BaseCommand):
    help = "Write docs/workflows.md from the workflow declaration."

    def handle(self, *args, **options):
        TARGET.write_text(render(), encoding="utf-8")
        self.stdout.write(f"wrote {TARGET.relative_to(settings.BASE_DIR)}")
