"""An S3-compatible object store for tests: moto's server on a free loopback port, a bucket of the test's
own, and STORAGES["default"] pointing at it (as BOAI_STORAGE=s3 would)."""

import secrets

import boto3
import pytest


@pytest.fixture(scope="session")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(settings, moto_endpoint):
    """The default storage on a new bucket of the moto server; yields a boto3 Bucket to look inside."""
    name = f"boai-test-{secrets.token_hex(6)}"
    options = {
        "bucket_name": name,
        "endpoint_url": moto_endpoint,
        "access_key": "testing",
        "secret_key": "testing",  # noqa: S105 - moto's fake credentials
        "region_name": "us-east-1",
        "addressing_style": "path",
        "file_overwrite": False,
        "default_acl": None,
    }
    bucket = boto3.resource(
        "s3",
        endpoint_url=moto_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's fake credentials
        region_name="us-east-1",
    ).Bucket(name)
    bucket.create()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    return bucket
