"""A RunResult covering every case a report must show, built from the model (no engine), for report tests.

Workloads: `payments` fails S3-001 on two resources (one in a module) with a third excluded, and passes
NET-002 with a warning; `web` passes S3-001 only because its one finding is excluded (expiring soon) and
has an expired exclusion failing again on IAM-003; `broken` has a plan that did not load (errors).
"""

from __future__ import annotations

from datetime import date

from runner.model import (
    ExclusionRef,
    Finding,
    Guardrail,
    Result,
    RunResult,
    Severity,
    Status,
    WorkloadRun,
)

TODAY = date(2024, 6, 1)

S3 = Guardrail(
    id="S3-001", title="S3 buckets encrypt data at rest", file="storage.feature", line=4, severity=Severity.HIGH,
    controls=("CIS-2.1.1", "FSBP-S3.4"), feature="Storage guardrails",
    remediation="Add an `aws_s3_bucket_server_side_encryption_configuration` resource for the bucket.",
    description="Unencrypted buckets leak data at rest.", resource_types=("aws_s3_bucket",),
)
NET = Guardrail(
    id="NET-002", title="Security groups allow no SSH from the internet", file="network.feature", line=9,
    severity=Severity.CRITICAL, controls=("CIS-5.2",), feature="Network guardrails",
    remediation="Remove the `0.0.0.0/0` CIDR from ingress rules on port 22.", resource_types=("aws_security_group",),
    deadline=date(2024, 6, 20),
)
IAM = Guardrail(
    id="IAM-003", title="IAM policies grant no wildcard actions", file="identity.feature", line=12,
    severity=Severity.LOW, feature="Identity guardrails", remediation="List the actions the role needs.",
    resource_types=("aws_iam_policy",),
)

EXC_PAYMENTS = ExclusionRef("EXC-7", date(2024, 9, 30), "SEC-42", "legacy bucket, migration planned")
EXC_WEB = ExclusionRef("EXC-9", date(2024, 6, 5), "SEC-50", "vendor appliance")
EXPIRED = ExclusionRef("EXC-2", date(2024, 5, 1), "SEC-11", "temporary")


def sample_run(payments_source: str | None = None, payments_plan: str = "plans/payments.json",
               mode: str = "check") -> RunResult:
    payments = [
        Result("S3-001", "payments", Status.FAILED, (
            Finding("S3-001", "payments", "aws_s3_bucket.logs", "aws_s3_bucket.logs (aws_s3_bucket) does not "
                    "have server_side_encryption_configuration property.", Severity.HIGH),
            Finding("S3-001", "payments", 'module.data.aws_s3_bucket.raw["eu"]', "module.data.aws_s3_bucket.raw"
                    '["eu"] does not have server_side_encryption_configuration property.', Severity.HIGH),
            Finding("S3-001", "payments", "aws_s3_bucket.legacy", "aws_s3_bucket.legacy is not encrypted",
                    Severity.HIGH, excluded_by=EXC_PAYMENTS),
        ), engine_status=Status.FAILED),
        Result("NET-002", "payments", Status.PASSED, (
            Finding("NET-002", "payments", "aws_security_group.admin", "aws_security_group.admin allows 22 "
                    "from 10.0.0.0/8 <script>alert(1)</script>", Severity.CRITICAL, warning=True),
        )),
        Result("IAM-003", "payments", Status.NOT_APPLICABLE),
    ]
    web = [
        Result("S3-001", "web", Status.PASSED, (
            Finding("S3-001", "web", "aws_s3_bucket.assets", "aws_s3_bucket.assets is not encrypted",
                    Severity.HIGH, excluded_by=EXC_WEB),
        ), engine_status=Status.FAILED),
        Result("NET-002", "web", Status.PASSED),
        Result("IAM-003", "web", Status.FAILED, (
            Finding("IAM-003", "web", "aws_iam_policy.deploy", "aws_iam_policy.deploy allows iam:*",
                    Severity.LOW, expired_exclusion=EXPIRED),
        ), engine_status=Status.FAILED),
    ]
    plan_error = "plans/broken.json: truncated JSON: Expecting value at line 3 column 1"
    broken = [Result(g.id, "broken", Status.ERROR, error=plan_error) for g in (S3, NET, IAM)]
    return RunResult(
        guardrails=(S3, NET, IAM),
        results=tuple(payments + web + broken),
        workloads=(
            WorkloadRun("payments", payments_plan, "ab" * 32, source_dir=payments_source),
            WorkloadRun("web", "plans/web.json", "cd" * 32, static_plan=True),
            WorkloadRun("broken", "plans/broken.json", error=plan_error),
        ),
        mode=mode,
        created="2024-06-01T12:00:00+00:00",
        warnings=("storage.feature:20: scenario 'x' has no @id tag; using derived id storage-x-123456",),
    )


def compliant_run() -> RunResult:
    return RunResult(
        guardrails=(S3,),
        results=(Result("S3-001", "payments", Status.PASSED),),
        workloads=(WorkloadRun("payments", "plans/payments.json"),),
        created="2024-06-01T12:00:00+00:00",
    )


def sample_history() -> list[dict[str, str]]:
    """Three recorded dates: S3-001 improves from 0% to 50%, NET-002 stays compliant."""
    rows = []
    for day, s3_web, net in (("2024-05-01", "failed", "passed"), ("2024-05-15", "failed", "passed"),
                             ("2024-06-01", "excluded", "passed")):
        rows.append({"date": day, "guardrail": "S3-001", "workload": "payments", "status": "failed"})
        rows.append({"date": day, "guardrail": "S3-001", "workload": "web", "status": s3_web})
        rows.append({"date": day, "guardrail": "NET-002", "workload": "payments", "status": net})
        rows.append({"date": day, "guardrail": "NET-002", "workload": "web", "status": net})
    return rows


# --- a synthetic estate: many workloads and guardrails, deterministic ------------------------------------------

DOMAINS = (("S3", "aws_s3_bucket", "S3 buckets block public access"), ("EC2", "aws_instance", "EC2 instances use IMDSv2"),
           ("IAM", "aws_iam_policy", "IAM policies grant no wildcard actions"),
           ("RDS", "aws_db_instance", "RDS instances encrypt storage"), ("KMS", "aws_kms_key", "KMS keys rotate"),
           ("NET", "aws_security_group", "Security groups allow no SSH from the internet"),
           ("LOG", "aws_cloudwatch_log_group", "Log groups keep logs for a year"),
           ("SQS", "aws_sqs_queue", "SQS queues encrypt messages"))
TEAMS = ("payments", "checkout", "search", "identity", "ledger", "catalog", "shipping", "billing", "risk", "ml")


def synthetic_run(workloads: int, guardrails: int, seed: int = 7) -> RunResult:
    import random

    rnd = random.Random(seed)
    severities = list(Severity)
    gs = []
    for i in range(guardrails):
        domain, rtype, title = DOMAINS[i % len(DOMAINS)]
        gs.append(Guardrail(
            id=f"{domain}-{i // len(DOMAINS) + 1:03}", title=f"{title} (rule {i + 1})", file=f"{domain.lower()}.feature",
            line=4 + 8 * (i // len(DOMAINS)), severity=severities[(i * 3) % 4], controls=(f"FSBP-{domain}.{i + 1}",),
            remediation=f"Change the `{rtype}` so that it complies: see rule {i + 1}.", resource_types=(rtype,),
            deadline=TODAY.replace(day=20) if i % 9 == 4 else None, feature=f"{domain} guardrails"))
    names = [f"{TEAMS[w % len(TEAMS)]}-{['api', 'web', 'batch', 'data'][w // len(TEAMS) % 4]}-{w:03}"
             for w in range(workloads)]
    results = []
    runs = []
    for w, name in enumerate(names):
        broken = w % 50 == 17
        runs.append(WorkloadRun(name, f"plans/{name}.json", f"{w:064x}", error="plan did not load" if broken else ""))
        for gi, g in enumerate(gs):
            if broken:
                results.append(Result(g.id, name, Status.ERROR, error="plan did not load"))
                continue
            roll = rnd.random()
            rtype = g.resource_types[0]
            if roll < 0.15 + 0.25 * (gi % 5 == 0):
                findings = [Finding(g.id, name, f"{rtype}.r{k}", f"{rtype}.r{k} does not comply with {g.id}", g.severity)
                            for k in range(rnd.randint(1, 4))]
                if rnd.random() < 0.2:
                    findings.append(Finding(g.id, name, f"{rtype}.legacy", "legacy resource", g.severity,
                                            excluded_by=ExclusionRef(f"EXC-{w}-{gi}", TODAY.replace(month=8),
                                                                     f"SEC-{w}", "migration planned")))
                results.append(Result(g.id, name, Status.FAILED, tuple(findings), engine_status=Status.FAILED))
            elif roll < 0.30:
                results.append(Result(g.id, name, Status.NOT_APPLICABLE))
            else:
                results.append(Result(g.id, name, Status.PASSED))
    return RunResult(tuple(gs), tuple(results), tuple(runs), mode="observe", created="2024-06-01T12:00:00+00:00",
                     changed_guardrails=tuple(g.id for g in gs[-2:]))


def synthetic_history(run: RunResult, dates: int = 12) -> list[dict[str, str]]:
    """Weekly records ending on TODAY, each guardrail getting more compliant over time."""
    from datetime import timedelta

    rows = []
    for step in range(dates):
        day = (TODAY - timedelta(days=7 * (dates - 1 - step))).isoformat()
        for k, r in enumerate(run.results):
            status = r.status.value
            if status == "passed" and (k * 7) % dates > step:  # fixed some time before today
                status = "failed"
            rows.append({"date": day, "guardrail": r.guardrail_id, "workload": r.workload, "status": status})
    return rows
