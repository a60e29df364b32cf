"""summary.md: short, grouped, counted; safe in a GitHub comment; cut below the comment size limit."""

from __future__ import annotations

from dataclasses import replace

from report_samples import compliant_run, sample_run

from runner.model import Finding, Guardrail, Result, RunResult, Severity, Status, WorkloadRun
from runner.report import get_formatter
from runner.report.markdown import MAX_CHARS, code, render_markdown, text


def test_headline_gives_the_verdict_and_counts():
    md = render_markdown(sample_run())
    assert md.startswith("### tfguard check: ⚠️ error: results are incomplete\n")
    assert ("**3 guardrails × 3 workloads** — ✅ 3 passed · ❌ 2 failed · ➖ 1 not applicable · ⚠️ 3 errors · "
            "🔕 2 excluded") in md


def test_compliant_and_observe_verdicts():
    assert render_markdown(compliant_run()).startswith("### tfguard check: ✅ compliant\n")
    run = sample_run(mode="observe")
    observed = replace(run, results=tuple(r for r in run.results if r.workload != "broken"),
                       workloads=tuple(w for w in run.workloads if w.workload != "broken"))
    assert render_markdown(observed).startswith(
        "### tfguard observe: 👀 2 guardrails would fail (observation, not enforced)\n")
    assert "#### ❌ Guardrails that would fail" in render_markdown(observed)


def test_per_workload_table_counts():
    md = render_markdown(sample_run())
    assert "| payments | ❌ noncompliant | 1 | 1 | 1 | 0 | 1 |" in md
    assert "| web (static plan from source) | ❌ noncompliant | 2 | 1 | 0 | 0 | 1 |" in md
    assert "| broken | ⚠️ error | 0 | 0 | 0 | 3 | 0 |" in md


def test_failures_are_grouped_by_guardrail_worst_first_with_resources_and_fix():
    md = render_markdown(sample_run())
    assert md.index("<b>S3-001</b> (high)") < md.index("<b>IAM-003</b> (low)")
    assert ("- **payments**: `aws_s3_bucket.logs`, `module.data.aws_s3_bucket.raw[\"eu\"]` · 🔕 1 excluded"
            in md)
    assert "**Fix:** Add an `aws_s3_bucket_server_side_encryption_configuration` resource for the bucket." in md
    assert md.count("<details>") == md.count("</details>") == 2


def test_excluded_expired_and_errors_sections():
    md = render_markdown(sample_run())
    assert "| S3-001 | web | `aws_s3_bucket.assets` | EXC-9 (SEC-50) | 2024-06-05 |" in md
    assert "- IAM-003 · web · `aws_iam_policy.deploy`: exclusion EXC-2 expired on 2024-05-01" in md
    assert "- **broken**: plans/broken.json: truncated JSON" in md
    assert "S3-001 · broken" not in md  # the workload error is not repeated per guardrail


def test_compliant_run_is_short():
    md = render_markdown(compliant_run())
    assert "Failing guardrails" not in md and "Excluded findings" not in md
    assert len(md.splitlines()) < 12


def test_markdown_and_html_in_values_are_neutralised():
    assert text("a|b <img src=x onerror=alert(1)>\nnext") == "a\\|b &lt;img src=x onerror=alert(1)&gt; next"
    assert code("x`y") == "``x`y``"
    assert code("`edge") == "`` `edge ``"
    run = compliant_run()
    evil = Result("S3-001", "pay|ments<b>", Status.FAILED, (
        Finding("S3-001", "pay|ments<b>", "aws_s3_bucket.x", "m", Severity.HIGH),))
    md = render_markdown(replace(run, results=(evil,), workloads=(WorkloadRun("pay|ments<b>"),)))
    assert "pay\\|ments&lt;b&gt;" in md
    assert "<b>pay" not in md


def big_run(workloads: int, guardrails: int) -> RunResult:
    gs = tuple(Guardrail(f"G-{i:03}", f"Guardrail number {i}", "x.feature", i, Severity.HIGH,
                         remediation="Do the right thing " * 10) for i in range(guardrails))
    results = tuple(
        Result(g.id, f"workload-{w:03}", Status.FAILED, tuple(
            Finding(g.id, f"workload-{w:03}", f"aws_s3_bucket.b{k}", "msg", Severity.HIGH) for k in range(12)))
        for w in range(workloads) for g in gs)
    return RunResult(gs, results, tuple(WorkloadRun(f"workload-{w:03}") for w in range(workloads)))


def test_large_runs_are_cut_below_the_comment_limit_and_stay_well_formed():
    md = render_markdown(big_run(200, 40))
    assert len(md) <= MAX_CHARS
    assert "**This summary is cut short**" in md
    assert md.count("<details>") == md.count("</details>")
    assert "and 2 more" in md  # 12 resources, 10 shown
    assert "and 185 more workloads" in md  # 200 workloads, 15 shown per guardrail


def test_many_compliant_workloads_are_counted_not_listed():
    run = big_run(30, 1)
    passing = tuple(replace(r, status=Status.PASSED, findings=()) if r.workload != "workload-000" else r
                    for r in run.results)
    md = render_markdown(replace(run, results=passing))
    assert "| workload-000 | ❌ noncompliant |" in md
    assert "| workload-001 |" not in md
    assert "29 more workloads compliant, not listed." in md


def test_registered_as_summary_md():
    fmt = get_formatter("markdown")
    assert fmt.filename == "summary.md"
    assert fmt.render(compliant_run()) == render_markdown(compliant_run())
