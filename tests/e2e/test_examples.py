"""The bundled example workloads: `tfguard check` reports exactly the planted noncompliance (EXPECTED.md
in each example), what it cannot judge at plan time as unknown, and the web service's database password
reaches no output or report file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import EXAMPLES, FEATURES, tfguard

EXPECTED = {
    "web-service": {
        "RDS-001": [("aws_db_instance.db", "violation")],
        "NET-001": [("aws_security_group.app", "violation")],
        "NET-002": [("aws_security_group.admin", "violation")],
        "S3-002": [("aws_s3_bucket.logs", "excluded")],  # exclusions/web-service.yaml, EXC-1
        "TAG-002": [("aws_lb_target_group.web", "violation")],
        "TAG-004": [("aws_lb_target_group.web", "violation")],
        # controls the example does not implement (EXPECTED.md, "Also reported")
        "RDS-006": [("aws_db_instance.db", "violation")],
        "RDS-014": [("aws_db_instance.db", "violation")],
        "RDS-019": [("aws_db_instance.db", "violation")],
        "NET-011": [("module.network.aws_vpc.this", "violation")],
        "NET-019": [("aws_security_group.admin", "violation"), ("aws_security_group.app", "violation")],
        "S3-010": [("aws_s3_bucket.logs", "violation")],
        **{gid: [("aws_s3_bucket.assets", "violation"), ("aws_s3_bucket.logs", "violation")]
           for gid in ("S3-013", "S3-014", "S3-015", "S3-016", "S3-017")},
        "ELB-011": [("aws_lb.web", "violation")],  # no WAF web ACL association
        "NET-021": [("aws_lb_listener.http", "violation")],  # the HTTP listener (redirects: an exclusion case)
        # the buckets' own `policy` is known only after apply (EXPECTED.md, "Unknown at plan time")
        "S3-022": [("aws_s3_bucket.assets", "unknown"), ("aws_s3_bucket.logs", "unknown")],
    },
    "data-pipeline": {
        "DDB-002": [("aws_dynamodb_table.checkpoints", "violation")],
        "DDB-004": [("aws_dynamodb_table.checkpoints", "violation")],
        "KMS-001": [("aws_kms_key.data", "violation")],
        "IAM-001": [("aws_iam_policy.debug", "violation"), ("aws_iam_policy.pipeline", "unknown")],
        "IAM-002": [("aws_iam_policy.pipeline", "unknown")],  # its document is known only after apply
        # policy_arn = each.value over a local map of the ARNs of policies created in the same apply
        **{gid: [('aws_iam_role_policy_attachment.glue["debug"]', "unknown"),
                 ('aws_iam_role_policy_attachment.glue["pipeline"]', "unknown")] for gid in ("IAM-012", "IAM-013")},
        # controls the example does not implement (EXPECTED.md, "Also reported")
        **{gid: [('module.bucket["curated"].aws_s3_bucket.this', "violation"),
                 ('module.bucket["raw"].aws_s3_bucket.this', "violation")] for gid in ("S3-014", "S3-015", "S3-016")},
        "KMS-005": [("aws_iam_policy.debug", "violation"), ("aws_iam_policy.pipeline", "unknown")],
        "S3-022": [('module.bucket["curated"].aws_s3_bucket.this', "unknown"),
                   ('module.bucket["raw"].aws_s3_bucket.this', "unknown")],
    },
    "serverless-api": {
        "ECR-002": [("aws_ecr_repository.report_renderer", "violation")],
        "SQS-001": [("module.audit_queue.aws_sqs_queue.this", "violation")],
        "LAM-001": [('aws_lambda_function.fn["report"]', "violation")],
        "SNS-003": [("aws_sns_topic.order_events", "violation")],
        "IAM-001": [("aws_iam_role_policy.lambda", "unknown")],  # its document is known only after apply
        "IAM-002": [("aws_iam_role_policy.lambda", "unknown")],
        "KMS-006": [("aws_iam_role_policy.lambda", "unknown")],
        "SNS-005": [("aws_sns_topic.order_events", "unknown")],  # topic policy known only after apply
        "SQS-002": [("aws_sqs_queue_policy.orders_from_sns", "unknown")],
        # controls the example does not implement (EXPECTED.md, "Also reported")
        "LAM-009": [('aws_lambda_function.fn["api"]', "violation"), ('aws_lambda_function.fn["report"]', "violation"),
                    ('aws_lambda_function.fn["worker"]', "violation")],
    },
}
SECRET = "S3cr3t-Example-Passw0rd"
ENV = {"TFGUARD_TODAY": "2026-12-01"}  # inside EXC-1's lifetime


@pytest.mark.parametrize("workload", sorted(EXPECTED))
def test_check_reports_the_planted_noncompliance(workload, tmp_path):
    plan = EXAMPLES / workload / "plan.json"
    run = tfguard("check", "--plan", str(plan), "--features", str(FEATURES), "--workload", workload,
                  "--format", "json", "--no-cache", env=ENV)
    assert run.code == 1, run.stderr
    doc = json.loads(run.stdout)
    got = {r["guardrail"]: sorted((f["address"], f["status"]) for f in r["findings"])
           for r in doc["results"] if r["findings"]}
    assert got == EXPECTED[workload]
    assert doc["summary"]["error"] == 0
    text = tfguard("check", "--plan", str(plan), "--features", str(FEATURES), "--workload", workload, env=ENV)
    for gid, findings in EXPECTED[workload].items():
        for address, status in findings:
            assert address in text.stdout and gid in text.stdout


def test_the_planted_database_password_is_in_no_output(tmp_path):
    plan = EXAMPLES / "web-service" / "plan.json"
    assert SECRET in plan.read_text()  # really in the plan, as terraform writes it
    out = tmp_path / "reports"
    outputs = []
    for fmt in ("text", "json", "junit", "sarif", "markdown", "html"):
        run = tfguard("check", "--plan", str(plan), "--features", str(FEATURES), "--workload", "web-service",
                      "--source", str(EXAMPLES / "web-service"), "--format", fmt, "--report-dir", str(out), env=ENV)
        assert run.code == 1, run.stderr
        outputs += [run.stdout, run.stderr]
    files = [p for p in Path(out).rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"results.json", "junit.xml", "results.sarif", "summary.md", "dashboard.html"}
    for text in outputs + [p.read_text(errors="replace") for p in files]:
        assert SECRET not in text
