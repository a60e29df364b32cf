"""`plan_url: s3://BUCKET/KEY`: a plan object in S3 (CodePipeline hands plans over as S3 artifacts; the
application pipelines publish theirs into the plans bucket). ${VAR} references are expanded, e.g.
`s3://${TFGUARD_PLANS_BUCKET}/plans/payments.json`.

Read with boto3 (the optional extra `tfguard[s3]`), credentials from the standard AWS chain (environment,
profile, container or instance role); tfguard never reads, prints or stores them. The endpoint is AWS's
unless `AWS_ENDPOINT_URL_S3` (or `AWS_ENDPOINT_URL`) names another, as boto3 itself reads it. Every
failure is one line naming the object and the S3 error code, and an error row for that workload."""

from __future__ import annotations

import os
from typing import Any

from runner.errors import PlanError
from runner.http import scrub
from runner.workloads import secretrefs
from runner.workloads.plan import Plan
from runner.workloads.sources.base import MAX_PLAN_BYTES, SourceContext
from runner.workloads.sources.url import plan_from_bytes

KEY = "plan_url"
SCHEME = "s3"
TIMEOUT_S = 60
SCHEMA = {
    "description": "S3 object holding the plan: s3://BUCKET/KEY (credentials from the standard AWS chain; "
                   "${ENV_VAR} references are expanded).",
    "type": "string",
    "pattern": "^s3://[^/]+/.+",
}
# what the S3 error codes mean for the person reading the sweep
_MEANING = {
    "NoSuchKey": "no such object", "NoSuchBucket": "no such bucket", "AccessDenied": "access denied",
    "AllAccessDisabled": "access denied", "InvalidAccessKeyId": "the AWS access key is not known",
    "SignatureDoesNotMatch": "the AWS credentials are refused", "ExpiredToken": "the AWS credentials have expired",
    "404": "no such object", "403": "access denied",
}
_CREDENTIAL_VARS = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID")


def split(url: str) -> tuple[str, str]:
    """(bucket, key) of s3://bucket/key."""
    rest = url.split("://", 1)[1] if "://" in url else url
    bucket, _, key = rest.partition("/")
    if not bucket or not key:
        raise PlanError("an S3 plan URL is s3://BUCKET/KEY", where=url)
    return bucket, key


class S3Plan:
    key = KEY
    schema = SCHEMA

    def claims(self, spec: Any) -> bool:
        return str(spec).split("://", 1)[0].lower() == SCHEME

    def describe(self, spec: Any) -> str:
        return f"plan_url {spec}"

    def load(self, spec: Any, ctx: SourceContext) -> Plan:
        where = str(spec)
        bucket, key = split(secretrefs.expand(where, ctx.env, where=where, url=False, error=PlanError))
        return plan_from_bytes(read_object(bucket, key, where), where, ctx.terraform)


SOURCE = S3Plan()


def _client() -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise PlanError("reading plans from S3 needs boto3", hint="pip install 'tfguard[s3]'") from None
    config = Config(connect_timeout=TIMEOUT_S, read_timeout=TIMEOUT_S, retries={"max_attempts": 3, "mode": "standard"})
    return boto3.session.Session().client("s3", config=config)


def read_object(bucket: str, key: str, where: str, max_bytes: int = MAX_PLAN_BYTES) -> bytes:
    """The object's bytes; PlanError (one line, no credentials) when it cannot be read."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    secrets = [os.environ.get(name, "") for name in _CREDENTIAL_VARS]
    try:
        answer = _client().get_object(Bucket=bucket, Key=key)
        body = answer["Body"]
        try:
            raw: bytes = body.read(max_bytes + 1)
        finally:
            body.close()
    except NoCredentialsError:
        raise PlanError("reading the plan from S3 failed: no AWS credentials found", where=where,
                        hint="the standard AWS chain: environment, profile, container or instance role") from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or "unknown")
        meaning = _MEANING.get(code, scrub(str(error.get("Message") or "refused"), secrets))
        raise PlanError(f"reading the plan from S3 failed: {meaning} ({code})", where=where) from None
    except BotoCoreError as exc:
        raise PlanError(f"reading the plan from S3 failed: {scrub(str(exc), secrets)}", where=where) from None
    if len(raw) > max_bytes:
        raise PlanError(f"plan object is larger than {max_bytes // 2**20} MiB", where=where)
    return raw
