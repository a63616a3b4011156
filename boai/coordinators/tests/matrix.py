"""The coordinators app's rows of the permission matrix (collected by accounts/tests/test_matrix.py),
one module per area."""

from .matrix_applications import MATRIX as APPLICATIONS
from .matrix_people import MATRIX as PEOPLE
from .matrix_practice import MATRIX as PRACTICE
from .matrix_qualifications import MATRIX as QUALIFICATIONS
from .matrix_training import MATRIX as TRAINING

MATRIX = PEOPLE + APPLICATIONS + TRAINING + QUALIFICATIONS + PRACTICE
