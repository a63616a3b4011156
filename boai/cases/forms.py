"""The fields each step of a case needs. The same form checks a staff page's POST and an API body,
so ``GET …/transitions/`` can describe the fields from here (see ``describe``)."""

import json
import re
import unicodedata
from datetime import timedelta

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boai.accounts.models import User
from boai.accounts.roles import Role
from boai.accounts.scoping import sees, user_region_prefix
from boai.accounts.selectors import actor_label
from boai.core.errors import InvalidInput
from boai.core.forms import INVISIBLE, CharField, DateField, DateTimeField, IntegerField, NameField
from boai.core.models import Organisation
from boai.core.people import IdType, Tissue, clean_id_number, normalise_mobile
from boai.core.people import Organ as OrganChoice
from boai.core.people.forms import PersonFormMixin
from boai.lib.text import validate_name

from . import family
from .extensions import witness_refusals
from .models import BodyCase, OrganCase, OrganOutcome, Signer, TransplantStaff

__all__ = ["CharField", "DateField", "DateTimeField", "IntegerField", "OrganChoice"]  # core's, named as before

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NAME_SEPARATORS = re.compile(r"[,，、;；\n]+")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
MAX_LIST_TEXT = 100_000  # characters of JSON in one list field


def normalise_name(value) -> str:
    """A person's name as compared by the rules: NFKC, no spaces or invisible characters."""
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", str(value)))


class ScanField(forms.FileField):
    """A scanned paper record. The service checks type and size by content; the hint says what it takes."""

    def __init__(self, *, label, help_text="", **kwargs):
        limits = _("PDF, JPEG or PNG, at most 20 MB.")
        super().__init__(label=label, help_text=f"{help_text} {limits}".strip(), **kwargs)


class NamesField(forms.Field):
    """A list of names: typed one per line or separated by commas or 、, or sent as a JSON list."""

    widget = forms.Textarea(attrs={"rows": 2})

    MAX_NAMES = 50

    def __init__(self, *, min_names: int = 0, **kwargs):
        self.min_names = min_names
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, dict) or (
            isinstance(value, list | tuple) and any(isinstance(v, list | dict) for v in value)
        ):
            raise forms.ValidationError(_("Enter names as text."), code="invalid")
        items = value if isinstance(value, list | tuple) else NAME_SEPARATORS.split(str(value))
        names = [normalise_name(v) for v in items]
        if any(CONTROL_CHARACTERS.search(n) for n in names):
            raise forms.ValidationError(_("Enter names as text."), code="invalid")
        for name in names:  # zero-width characters are dropped above; a text-direction control is refused
            validate_name(name)
        return list(dict.fromkeys(n[:64] for n in names if n))

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) < self.min_names:
            raise forms.ValidationError(_("Enter at least %(n)d names.") % {"n": self.min_names}, code="min_names")
        if len(value) > self.MAX_NAMES:
            raise forms.ValidationError(_("Enter at most %(n)d names.") % {"n": self.MAX_NAMES}, code="max_names")


class UsernamesWidget(forms.CheckboxSelectMultiple):
    """Checkboxes of accounts, with, above them, who was left out and why (``refused``: the rule's
    texts; ``self_refused``: the acting user's own), and a plain sentence when nobody is offered."""

    template_name = "cases/widgets/usernames.html"
    refused: tuple | list = ()
    self_refused: str = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(refused=self.refused, self_refused=self.self_refused)
        return context


class UsernamesField(NamesField):
    """Staff accounts by user name. Any name is accepted here; the workflow's rule decides who may stand."""

    widget = UsernamesWidget

    def __init__(self, *, role: str, **kwargs):
        self.role = role
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {}

    def _candidates(self, user, case=None) -> list[tuple[User, list[str]]]:
        """Active holders of the role in the user's province (given a case, those whose area includes
        it), each with the apps' witness checks' objections (``extensions.witness_refusals``)."""
        prefix = user_region_prefix(user) or ""
        qs = User.objects.filter(role=self.role, is_active=True, organization__region__code__startswith=prefix[:2])
        return [
            (u, witness_refusals(coordinators=[u], case=case, when=None))
            for u in qs.select_related("organization").order_by("username")
            if case is None or sees(u, case, perm="cases.view")
        ]

    def offer(self, user, case=None):
        """The accounts offered on the page: active holders of the role in the user's province and,
        given a case, only those whose area includes it, and only those the apps' witness checks
        (``extensions.witness_refusals``, today) let stand: the rule refuses anyone else. The widget
        is told who was left out and why, the acting user first."""
        candidates = self._candidates(user, case)
        mine = next((r for u, r in candidates if u.pk == user.pk and r), [])
        self.widget.self_refused = "; ".join(mine)
        self.widget.refused = ["; ".join(r) for u, r in candidates if r and u.pk != user.pk]
        return [(u.username, actor_label(u)) for u, r in candidates if not r]  # named as colleagues know them


class RowsWidget(forms.Widget):
    """A table of rows, each a small form. A page posts ``name-0-field``…; an API sends a JSON list."""

    template_name = "cases/widgets/rows.html"

    def __init__(self, row_form, rows: int, attrs=None, row_title=None):
        self.row_form, self.rows = row_form, rows
        self.row_title = row_title  # given: each row a card of labelled fields (for rows of many fields)
        super().__init__(attrs)

    @property
    def file_fields(self) -> list[str]:
        return [f for f, field in self.row_form.base_fields.items() if isinstance(field, forms.FileField)]

    @property
    def needs_multipart_form(self):
        return bool(self.file_fields)

    def _with_files(self, row: dict, files, prefix: str) -> dict:
        """A row's scans travel as their own parts, ``name-<row>-field`` (from a page or an API client)."""
        row = dict(row)
        for f in self.file_fields:
            row.pop(f, None)  # a file is never text in the list
            if files and prefix + f in files:
                row[f] = files[prefix + f]
        return row

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            if len(value) > MAX_LIST_TEXT:
                return value  # the field says what is wrong
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                return value
        if isinstance(value, list):
            return [
                self._with_files(row, files, f"{name}-{i}-") if isinstance(row, dict) else row
                for i, row in enumerate(value)
            ]
        if isinstance(value, dict | int | float | bool):
            return value  # the field refuses anything but a list
        rows = []
        for i in range(self.rows * 3):
            prefix = f"{name}-{i}-"
            row = {f: data.get(prefix + f) for f in self.row_form.base_fields if prefix + f in data}
            if row:
                rows.append(self._with_files(row, files, prefix))
        return rows

    def value_omitted_from_data(self, data, files, name):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = value if isinstance(value, list) else []
        count = max(self.rows, len(rows))
        context["widget"]["headers"] = [f.label for f in self.row_form.base_fields.values()]
        context["widget"]["row_title"] = self.row_title
        context["widget"]["rows"] = [
            self.row_form(
                prefix=f"{name}-{i}", initial=rows[i] if i < len(rows) and isinstance(rows[i], dict) else None
            )
            for i in range(count)
        ]
        return context


class RowsField(forms.Field):
    """A list of small records (signers, organs). Blank rows are ignored; each other row must be valid."""

    def __init__(self, *, row_form, rows: int = 4, max_rows: int = 20, min_rows: int = 0, row_title=None, **kwargs):
        self.row_form, self.max_rows, self.min_rows = row_form, max_rows, min_rows
        kwargs.setdefault("widget", RowsWidget(row_form, rows, row_title=row_title))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            raise forms.ValidationError(_("Send a list of records."), code="invalid")
        return value

    def validate(self, value):
        pass

    def clean(self, value):
        rows = self.to_python(value)
        cleaned, errors = [], []
        for i, row in enumerate(rows, 1):
            if not any(v not in (None, "", False, "false") for k, v in row.items() if k in self.row_form.filled_by):
                continue  # a blank row of the page
            form = self.row_form(data=row, files={k: v for k, v in row.items() if isinstance(v, UploadedFile)})
            if form.is_valid():
                cleaned.append(form.cleaned_data)
            else:
                for field, messages in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    for message in messages:
                        errors.append(
                            _("Row %(row)d: %(field)s: %(message)s") % {"row": i, "field": label, "message": message}
                            if label
                            else _("Row %(row)d: %(message)s") % {"row": i, "message": message}
                        )
        if errors:
            raise forms.ValidationError(errors)
        if self.required and not cleaned or len(cleaned) < self.min_rows:
            raise forms.ValidationError(_("Fill in at least one row."), code="required")
        if len(cleaned) > self.max_rows:
            raise forms.ValidationError(_("At most %(n)d rows.") % {"n": self.max_rows}, code="max_rows")
        return cleaned


class SignerRow(forms.Form):
    """One close relative: who, how the relationship was proven, and the outcome of asking them."""

    filled_by = ("name", "id_number")
    Outcome = Signer.Outcome
    name = NameField(label=_("Name"), max_length=64)
    relationship = forms.ChoiceField(label=_("Relation to the donor"), choices=Signer.Relationship.choices)
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = CharField(
        label=_("ID number"), max_length=40, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    proof = forms.ChoiceField(label=_("Relationship proven by"), choices=[("", "—"), *Signer.Proof.choices])
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Signer.Outcome.choices])
    signed_on = DateField(label=_("Signed on"), widget=DATE, required=False)
    proxy_name = NameField(label=_("Proxy's name"), max_length=64, required=False)
    proxy_relationship = forms.ChoiceField(
        label=_("Proxy's relation to the donor"), choices=[("", "—"), *Signer.Relationship.choices], required=False
    )
    letter = forms.FileField(
        label=_("Scan of the letter of authority"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = CharField(label=_("How they were sought, or note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        signed = outcome in (self.Outcome.SIGNED, self.Outcome.PROXY)
        if data.get("id_type") and data.get("id_number"):
            try:
                data["id_number"] = clean_id_number(data["id_type"], data["id_number"], today=timezone.localdate())
            except InvalidInput as exc:
                self.add_error("id_number", str(exc.message))
        elif signed and "id_number" not in self.errors:
            self.add_error("id_number", _("Enter the ID number of a relative who signed."))
        if signed and not data.get("signed_on") and "signed_on" not in self.errors:
            self.add_error("signed_on", _("Enter the date of the signature."))
        if data.get("signed_on") and data["signed_on"] > timezone.localdate():
            self.add_error("signed_on", _("The date cannot be in the future."))
        if outcome == self.Outcome.PROXY:
            if not data.get("proxy_name"):
                self.add_error("proxy_name", _("Enter the name of the proxy who signed."))
            if not data.get("proxy_relationship"):
                self.add_error("proxy_relationship", _("Choose the proxy's relation to the donor."))
            if not data.get("letter") and "letter" not in self.errors:
                self.add_error("letter", _("Attach the scan of the letter of authority."))
        else:
            data["proxy_name"], data["proxy_relationship"], data["letter"] = "", "", None
        if outcome == self.Outcome.UNREACHABLE and not data.get("note"):
            self.add_error("note", _("Say how you tried to reach this relative."))
        if not signed:
            data["signed_on"] = None
        return data


def not_in_future(value):
    if value and value > timezone.now() + timedelta(minutes=5):
        raise forms.ValidationError(_("The time cannot be in the future."))
    return value


def unique_organs(rows):
    if len({r["organ"] for r in rows}) != len(rows):
        raise forms.ValidationError(_("Each organ may appear once."))
    return rows


def clean_phone(value):
    try:
        return normalise_mobile(value)
    except InvalidInput as exc:
        raise forms.ValidationError(str(exc.message)) from exc


class StepForm(forms.Form):
    """Every step says when it happened (it may be recorded later than it happened)."""

    occurred_at = DateTimeField(label=_("When it happened"), widget=DATETIME)

    def clean_occurred_at(self):
        return not_in_future(self.cleaned_data["occurred_at"])


class NoteStep(StepForm):
    note = CharField(label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonStep(StepForm):
    reason = CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class FamilyForm(forms.Form):
    """The close relatives, each with the outcome of asking them, and the coordinator's confirmation
    that the list is complete (whose consent is needed: ``cases.family``)."""

    family_kind = "organ"  # which set of relatives (``settings.BOAI_FAMILY_CONSENT``)
    signers = RowsField(
        row_form=SignerRow,
        label=_("Close relatives"),
        row_title=_("Relative"),
        help_text=_(
            "One row per living close relative. A relative who signed: the date. Signed by a proxy: the proxy,"
            " the date and the scan of the letter of authority. Cannot be reached: how it was tried."
        ),
        rows=4,
        required=False,
    )
    family_complete = forms.BooleanField(label=_("These are all the living close relatives."), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family_complete"].label = family.attestation_label(self.family_kind)

    def clean_signers(self):
        signers = self.cleaned_data["signers"]
        numbers = [s["id_number"] for s in signers if s["id_number"]]
        if len(numbers) != len(set(numbers)):
            raise forms.ValidationError(_("The same ID number appears twice among the signers."))
        return signers


# --- organ donation ---------------------------------------------------------------------------


class PersonForm(PersonFormMixin):
    """The patient or the deceased: ``PersonFormMixin``'s fields and checks (a resident ID number fills
    in sex and birth date)."""

    def not_before_birth(self, field: str) -> None:
        """A referral or a death cannot come before the person was born."""
        when, born = self.cleaned_data.get(field), self.cleaned_data.get("birth_date")
        if when and born and timezone.localdate(when) < born:
            self.add_error(field, _("This cannot be before the birth date (%(date)s).") % {"date": born})


class ReferralForm(PersonForm):
    hospital = CharField(label=_("Hospital where the patient is"), max_length=128)
    diagnosis = CharField(label=_("Diagnosis"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    referred_at = DateTimeField(label=_("Referred at"), widget=DATETIME)

    fieldsets = (
        (_("Patient"), list(PersonForm.base_fields)),
        (_("Referral"), ["hospital", "diagnosis", "referred_at"]),
    )

    def clean_referred_at(self):
        return not_in_future(self.cleaned_data["referred_at"])

    def clean(self):
        data = super().clean()
        self.not_before_birth("referred_at")
        return data


CATEGORY_HELP = _(
    "C-I: brain death, determined twice before the family is approached. C-II: circulatory death after the"
    " family decided to withdraw life support. C-III: brain death determined, then circulatory death."
)


def category_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Donation category"),
        choices=OrganCase.Category.choices,
        widget=forms.RadioSelect,
        help_text=CATEGORY_HELP,
    )


class EvaluateStep(NoteStep):
    category = category_field()
    procurement_team = NamesField(
        label=_("Procurement team"), help_text=_("Names, separated by commas or one per line."), min_names=1
    )
    transplant_team = NamesField(
        label=_("Transplant team"), min_names=1, help_text=_("Names, separated by commas or one per line.")
    )


class CategoryStep(StepForm):
    category = category_field()
    reason = CharField(label=_("Why the category changes"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class PhysiciansStep(StepForm):
    physicians = NamesField(
        label=_("Physicians who determined death"),
        min_names=2,
        help_text=_("At least two qualified physicians; names separated by commas or one per line."),
    )
    scan = ScanField(label=_("Scan of the determination record"), required=False)


class BrainDeathStep(PhysiciansStep):
    """One determination of brain death (C-I and C-III take two, at the interval the criteria set)."""

    findings = CharField(
        label=_("Findings"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Clinical examination and confirmatory tests, briefly."),
    )
    field_order = ["occurred_at", "physicians", "findings", "scan"]


class WithdrawalDecisionStep(StepForm):
    """C-II: the family's own decision to withdraw life support, taken before anyone speaks of donation."""

    decided_by = CharField(label=_("Who in the family decided"), max_length=64)
    decided_by_relationship = forms.ChoiceField(label=_("Relation to the patient"), choices=Signer.Relationship.choices)
    note = CharField(label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].label = _("When the family decided")


class CirculatoryDeathStep(PhysiciansStep):
    """C-II and C-III: life support withdrawn, the heart stopped, the no-touch observation, death declared."""

    treatment_withdrawn_at = DateTimeField(label=_("Life support withdrawn at"), widget=DATETIME)
    circulatory_arrest_at = DateTimeField(label=_("Circulatory arrest at"), widget=DATETIME)
    observation_minutes = IntegerField(
        label=_("No-touch observation (minutes)"),
        min_value=0,
        max_value=60,
        help_text=_("Minutes observed after the circulation stopped, with no intervention."),
    )
    field_order = [
        "treatment_withdrawn_at",
        "circulatory_arrest_at",
        "observation_minutes",
        "occurred_at",
        "physicians",
        "scan",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].label = _("Death declared at")

    def clean(self):
        data = super().clean()
        withdrawn, arrest = data.get("treatment_withdrawn_at"), data.get("circulatory_arrest_at")
        declared, minutes = data.get("occurred_at"), data.get("observation_minutes")
        if withdrawn and arrest and arrest < withdrawn:
            self.add_error("circulatory_arrest_at", _("The circulation cannot stop before life support was withdrawn."))
        if arrest and declared and minutes is not None and arrest + timedelta(minutes=minutes) > declared:
            self.add_error(
                "occurred_at", _("Death is declared after the circulatory arrest and the whole observation period.")
            )
        return data


class ApproachStep(NoteStep):
    withdrawal_seen = forms.BooleanField(
        label=_("I have seen that this person withdrew their registration"), required=False
    )


class ConsentStep(StepForm, FamilyForm):
    BASIS = (
        ("written_intent", _("The person's own written intent (an active registration)")),
        ("family", _("Written consent of the family: spouse, adult children and parents")),
    )
    basis = forms.ChoiceField(label=_("Consent based on"), choices=BASIS, widget=forms.RadioSelect)
    organs = forms.MultipleChoiceField(
        label=_("Organs consented"), choices=OrganChoice.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    tissues = forms.MultipleChoiceField(
        label=_("Tissues consented"), choices=Tissue.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    scan = ScanField(label=_("Scan of the signed consent form"))
    # the numbered blank the consent was signed on; the unit's stock (certificates) checks and uses it
    consent_form_number = CharField(
        label=_("Consent form number"),
        max_length=40,
        help_text=_("As printed on the signed form, for example ZQ00000012: a blank form your unit received."),
    )

    fieldsets = (
        (None, ["occurred_at", "basis", "organs", "tissues"]),
        (
            _("The family and their signatures"),
            ["signers", "family_complete", "consent_form_number", "scan"],
        ),
    )

    def clean_consent_form_number(self):
        """As printed: the case's timeline keeps the number the stock knows (" zq 0000 0012" is "ZQ00000012")."""
        typed = unicodedata.normalize("NFKC", self.cleaned_data["consent_form_number"])
        return INVISIBLE.sub("", "".join(typed.split())).upper()

    def clean(self):
        data = super().clean()
        if "organs" in data and "tissues" in data and not (data["organs"] or data["tissues"]):
            self.add_error("organs", _("Choose at least one organ or tissue."))
        if not data.get("signers") and "signers" not in self.errors:
            self.add_error("signers", _("Enter who signed the consent form."))
        return data


YES_NO = (("yes", _("yes")), ("no", _("no")))

# What the ethics committee reviews before organs of a deceased donor are procured (NHC 2024 work rules)
ETHICS_MATTERS = (
    ("matter_wish_genuine", _("The written wish to donate voluntarily and without payment is genuine")),
    ("matter_consent_lawful", _("The informed consent to the donation meets the law")),
    (
        "matter_no_sale",
        _("No sale or disguised sale of organs, and no referral of the donor across service areas"),
    ),
    ("matter_medical_assessment", _("The medical assessment of the donor and the organs supports the donation")),
    ("matter_principles", _("The donation meets medical and ethical principles")),
)


class EthicsStep(StepForm):
    MEETING = (
        ("in_person", _("In person")),
        ("video", _("By video (an emergency), with its record kept")),
    )
    committee_hospital = CharField(label=_("The committee of (hospital)"), max_length=128)
    members_total = IntegerField(
        label=_("Members of the committee"),
        min_value=1,
        max_value=50,
        help_text=_("All its members, not only those present: approval needs two thirds of them."),
    )
    members_present = IntegerField(label=_("Members present"), min_value=1, max_value=50)
    votes_for = IntegerField(label=_("Votes in favour"), min_value=0, max_value=50)
    votes_against = IntegerField(label=_("Votes against"), min_value=0, max_value=50, required=False)
    meeting_form = forms.ChoiceField(label=_("Meeting"), choices=MEETING, initial="in_person", widget=forms.RadioSelect)
    video_record = ScanField(label=_("Record of the video meeting"), required=False)
    members = NamesField(label=_("Members present (names)"), required=False)
    scan = ScanField(label=_("The committee's written decision"))

    fieldsets = (
        (
            None,
            [
                "occurred_at",
                "committee_hospital",
                "members_total",
                "members_present",
                "votes_for",
                "votes_against",
                "meeting_form",
                "video_record",
                "members",
            ],
        ),
        (_("The five matters reviewed"), [name for name, _label in ETHICS_MATTERS]),
        (None, ["scan"]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in ETHICS_MATTERS:
            self.fields[name] = forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect)
        self.fields["scan"] = self.fields.pop("scan")  # the decision document last, as on paper

    def clean(self):
        data = super().clean()
        data["votes_against"] = data.get("votes_against") or 0
        total, present = data.get("members_total"), data.get("members_present")
        yes, no = data.get("votes_for"), data["votes_against"]
        if total and present and present > total:
            self.add_error("members_present", _("More members present than the committee has."))
        if None not in (present, yes, no) and yes + no > present:
            self.add_error("votes_for", _("There are more votes than members present."))
        if data.get("members") and present and len(data["members"]) != present:
            self.add_error("members", _("The number of names does not match the members present."))
        return data


class EthicsRejectStep(EthicsStep):
    reason = CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    fieldsets = (*EthicsStep.fieldsets[:-1], (None, ["reason", "scan"]))


class RevocationStep(StepForm):
    """The family revokes its consent in writing before procurement starts: the case ends as declined."""

    revoked_by = CharField(label=_("Revoked by (name)"), max_length=64)
    revoked_by_relationship = forms.ChoiceField(label=_("Relation to the donor"), choices=Signer.Relationship.choices)
    reason = CharField(label=_("Reason given"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    scan = ScanField(label=_("Scan of the written revocation"))


class WitnessFields(forms.Form):
    """A Red Cross coordinator's witness: who, when (the step's time if not given) and remarks."""

    witnessed_at = DateTimeField(
        label=_("Witnessed at"), widget=DATETIME, required=False, help_text=_("Leave empty: the time above.")
    )
    witness_remarks = CharField(
        label=_("Witness remarks"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_witnessed_at(self):
        return not_in_future(self.cleaned_data.get("witnessed_at"))

    def clean(self):
        data = super().clean()
        if not data.get("witnessed_at"):
            data["witnessed_at"] = data.get("occurred_at")
        return data


class OutcomeRow(forms.Form):
    filled_by = ("organ",)
    organ = forms.ChoiceField(label=_("Organ"), choices=[("", "—"), *OrganChoice.choices])
    recovered = forms.BooleanField(label=_("Recovered"), required=False)
    reason = forms.ChoiceField(
        label=_("If not, why"), choices=[("", "—"), *OrganOutcome.NotRecovered.choices], required=False
    )
    reason_text = CharField(label=_("Details"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("organ") and not data.get("recovered") and not data.get("reason"):
            self.add_error("reason", _("Say why the organ was not recovered."))
        if data.get("reason") == OrganOutcome.NotRecovered.OTHER and not data.get("reason_text"):
            self.add_error("reason_text", _("Describe the reason."))
        if data.get("recovered"):
            data["reason"], data["reason_text"] = "", ""
        return data


class ProcureStep(StepForm, WitnessFields):
    outcomes = RowsField(row_form=OutcomeRow, label=_("Organs"), rows=3, required=True)
    witnesses = UsernamesField(
        role=Role.COORDINATOR, label=_("Coordinators who witnessed the procurement"), min_names=1
    )
    field_order = ["occurred_at", "outcomes", "witnesses", "witnessed_at", "witness_remarks"]

    def clean_outcomes(self):
        return unique_organs(self.cleaned_data["outcomes"])


class AllocationRow(forms.Form):
    filled_by = ("organ", "allocation_ref", "not_transplanted")
    organ = forms.ChoiceField(label=_("Organ"), choices=[("", "—"), *OrganChoice.choices])
    allocation_ref = CharField(label=_("Allocation system reference"), max_length=64, required=False)
    recipients = IntegerField(label=_("Recipients"), min_value=0, max_value=10, required=False)
    not_transplanted = CharField(label=_("Or why it was not transplanted"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        ref, recipients, why = data.get("allocation_ref"), data.get("recipients") or 0, data.get("not_transplanted")
        data["recipients"] = recipients
        if ref and recipients < 1 and "recipients" not in self.errors:  # an out-of-range number says so already
            self.add_error("recipients", _("Give the number of recipients (at least 1)."))
        if not ref and not why:
            self.add_error("allocation_ref", _("Give the allocation reference, or why the organ was not transplanted."))
        if ref and why:
            self.add_error("not_transplanted", _("Give either a reference or a reason, not both."))
        return data


class AllocateStep(StepForm, WitnessFields):
    allocations = RowsField(row_form=AllocationRow, label=_("Recovered organs"), rows=3, required=True)
    witnesses = UsernamesField(
        role=Role.COORDINATOR,
        label=_("Coordinators who witnessed the allocation result"),
        min_names=1,
        help_text=_("The national allocation system's result, as the coordinator saw it."),
    )
    field_order = ["occurred_at", "allocations", "witnesses", "witnessed_at", "witness_remarks"]

    def clean_allocations(self):
        return unique_organs(self.cleaned_data["allocations"])


class CloseOrganStep(StepForm):
    HANDED_TO = (
        ("family", _("the family")),
        ("funeral_home", _("a funeral home")),
        ("reception_station", _("a body reception station")),
    )
    body_restored = forms.BooleanField(label=_("The body was restored with dignity"), required=False)
    handed_to = forms.ChoiceField(label=_("Body handed over to"), choices=HANDED_TO, widget=forms.RadioSelect)
    contact_name = NameField(label=_("Family contact for family care"), max_length=64)
    contact_relationship = forms.ChoiceField(label=_("Relation to the donor"), choices=Signer.Relationship.choices)
    contact_phone = CharField(
        label=_("Family contact's phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def clean_contact_phone(self):
        return clean_phone(self.cleaned_data["contact_phone"])


# --- body donation ----------------------------------------------------------------------------


def not_future_date(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class DeathCertificateForm(forms.Form):
    """The death certificate: at notification, or at the latest when the station accepts the body. Its
    number, date and scan go together (the workflow's rule ``body.death_certificate`` asks for them)."""

    DEATH_CERTIFICATE = ("death_certificate_number", "death_certificate_date", "death_certificate_scan")

    death_certificate_number = CharField(label=_("Death certificate number"), max_length=40, required=False)
    death_certificate_date = DateField(label=_("Death certificate issued on"), widget=DATE, required=False)
    death_certificate_scan = ScanField(label=_("Scan of the death certificate"), required=False)

    def clean_death_certificate_date(self):
        return not_future_date(self.cleaned_data["death_certificate_date"])

    def clean(self):
        data = super().clean()
        given = [name for name in self.DEATH_CERTIFICATE if data.get(name)]
        if given:
            for name in self.DEATH_CERTIFICATE:
                if name not in given and name not in self.errors:
                    self.add_error(
                        name, _("The death certificate's number, date and scan are recorded together: enter this too.")
                    )
        return data


class NotificationForm(PersonForm, FamilyForm, DeathCertificateForm):
    family_kind = "body"
    died_at = DateTimeField(label=_("Time of death"), widget=DATETIME)
    place_of_death = CharField(label=_("Place of death"), max_length=200)
    station = forms.ModelChoiceField(
        label=_("Body reception station"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("A station that is told directly opens the case for itself."),
    )
    notifier_name = NameField(label=_("Notified by (name)"), max_length=64)
    notifier_relationship = forms.ChoiceField(
        label=_("Relationship to the deceased"), choices=Signer.Relationship.choices
    )
    notifier_phone = CharField(
        label=_("Notifier's phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    scan = ScanField(
        label=_("Scan of the relatives' signed consent"),
        help_text=_("Needed when the person did not register a body donation."),
        required=False,
    )

    fieldsets = (
        (_("The deceased"), [*PersonForm.base_fields, "died_at", "place_of_death", "station"]),
        (_("Who notified"), ["notifier_name", "notifier_relationship", "notifier_phone"]),
        (
            _("Death certificate (now, or at the latest when the station accepts)"),
            list(DeathCertificateForm.DEATH_CERTIFICATE),
        ),
        (
            _("Joint donation by close relatives (only if the person did not register a body donation)"),
            ["signers", "family_complete", "scan"],
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Organisation.objects.filter(
            type=Organisation.Type.RECEPTION_STATION, is_active=True
        )
        self.fields["signers"].label = _("Close relatives (only for a joint donation)")

    def fix_station(self, station) -> None:
        """A station told directly opens the case for itself: shown, not chosen."""
        field = self.fields["station"]
        field.queryset = Organisation.objects.filter(pk=station.pk)
        field.disabled = True
        self.initial["station"] = station.pk

    def clean_died_at(self):
        return not_in_future(self.cleaned_data["died_at"])

    def clean(self):
        data = super().clean()
        self.not_before_birth("died_at")
        return data

    def clean_notifier_phone(self):
        return clean_phone(self.cleaned_data["notifier_phone"])


class StationRefuseStep(StepForm):
    REASONS = (
        ("autopsy", _("an autopsy is needed")),
        ("infectious", _("infectious disease")),
        ("condition", _("condition of the body")),
        ("distance", _("distance or time")),
        ("other", _("other")),
    )
    reason_code = forms.ChoiceField(label=_("Reason"), choices=REASONS, widget=forms.RadioSelect)
    reason = CharField(label=_("Details"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptStep(NoteStep, DeathCertificateForm):
    """The station accepts the body; the death certificate, if the notification did not bring it."""


class ReceiveStep(NoteStep):
    """The body arrives: the hand-over agreement (交接协议书) signed with the family, and who brought it."""

    handover_on = DateField(label=_("Hand-over agreement signed on"), widget=DATE)
    handover_scan = ScanField(label=_("Scan of the hand-over agreement"))
    transported_by = CharField(
        label=_("Transported by"), max_length=64, help_text=_("The funeral service or vehicle, and the driver.")
    )
    transported_at = DateTimeField(label=_("Transported at"), widget=DATETIME)

    def clean_handover_on(self):
        return not_future_date(self.cleaned_data["handover_on"])

    def clean_transported_at(self):
        return not_in_future(self.cleaned_data["transported_at"])

    def clean(self):
        data = super().clean()
        if data.get("transported_at") and data.get("occurred_at") and data["transported_at"] > data["occurred_at"]:
            self.add_error("transported_at", _("The transport cannot be after the reception of the body."))
        return data


class UseStep(NoteStep):
    purpose = forms.ChoiceField(label=_("Used for"), choices=BodyCase.Use.choices, widget=forms.RadioSelect)


class RemainsStep(NoteStep):
    ASHES = (("returned", _("ashes returned to the family")), ("kept", _("ashes kept by the station")))
    cremated_on = DateField(label=_("Cremation date"), widget=DATE)
    ashes = forms.ChoiceField(label=_("Ashes"), choices=ASHES, widget=forms.RadioSelect)

    def clean_cremated_on(self):
        return not_future_date(self.cleaned_data["cremated_on"])


class MemorialStep(NoteStep):
    """A permanent specimen: where it is kept and how the donor is remembered, in place of the remains."""

    specimen_kept_at = CharField(label=_("Where the specimen is kept"), max_length=200)
    memorial_record = CharField(
        label=_("Memorial record"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The inscription or record by which the donor is remembered."),
    )


class UnitStaffForm(forms.Form):
    name = NameField(label=_("Name"), max_length=64)
    team = forms.ChoiceField(label=_("Team"), choices=TransplantStaff.Team.choices, widget=forms.RadioSelect)


# --- describing forms to API clients ----------------------------------------------------------

_TYPES = [
    (RowsField, "list"),
    (UsernamesField, "usernames"),
    (NamesField, "names"),
    (forms.FileField, "file"),
    (forms.BooleanField, "boolean"),
    (forms.IntegerField, "integer"),
    (forms.DateTimeField, "datetime"),
    (forms.DateField, "date"),
    (forms.MultipleChoiceField, "multiple_choice"),
    (forms.ModelChoiceField, "choice"),
    (forms.ChoiceField, "choice"),
    (forms.CharField, "string"),
]


def describe(form_class) -> list[dict]:
    """The fields of a step for API clients: name, label, type, required, choices, and a list's fields."""
    out = []
    form = form_class()
    for name, field in form.fields.items():
        kind = next(t for cls, t in _TYPES if isinstance(field, cls))
        item = {"name": name, "label": str(field.label), "type": kind, "required": field.required}
        if isinstance(field, forms.ModelChoiceField):
            item["choices"] = [{"value": str(o.pk), "label": str(o)} for o in field.queryset]
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            item["choices"] = [{"value": v, "label": str(lbl)} for v, lbl in field.choices if v != ""]
        if isinstance(field, RowsField):
            item["fields"] = describe(field.row_form)
            for sub in item["fields"]:
                if sub["type"] == "file":  # a row's scan is its own multipart part
                    sub["upload_as"] = f"{name}-<row>-{sub['name']}"
        out.append(item)
    return out
