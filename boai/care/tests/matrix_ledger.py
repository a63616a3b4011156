"""Ledger's rows of the permission matrix. The public ledger (page and CSV) answers every role and
anonymous visitors alike; the ledger check is for the holders of care.export (branches, the province
and the auditors); the check runs on POST."""

from boai.core.tests.matrix_kit import everyone, only

EXPORTERS = ("prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "auditor")

MATRIX = [
    ("ledger/", "get", "/ledger/", everyone(200), 200),
    ("ledger/<str:year>.csv", "get", "/ledger/2025.csv", everyone(200), 200),
    ("workspace/care/ledger/check/", "get", "/workspace/care/ledger/check/", only(*EXPORTERS), 302),
    ("workspace/care/ledger/check/", "post", "/workspace/care/ledger/check/", only(*EXPORTERS), 302),
]
