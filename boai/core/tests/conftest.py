"""Fixtures of the core tests: an S3-compatible object store on loopback (s3.py)."""

from .s3 import moto_endpoint, s3_bucket  # noqa: F401 - fixtures
