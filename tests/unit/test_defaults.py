"""runner.engine.defaults: unset attributes get their meaning (a provider default, or known only after
apply); set ones, known or not, are left as the plan says."""

from __future__ import annotations

import copy

from helpers import minimal_plan
from helpers import resource_change as rc

from runner.engine.defaults import ABSENT, UNKNOWN, is_unset, normalise_plan, unset_meanings


def plan_with(change: dict, expressions: dict | None = None) -> dict:
    data = minimal_plan([change])
    data["configuration"]["root_module"]["resources"][0]["expressions"] = expressions or {}
    return data


def after(data: dict) -> dict:
    return data["resource_changes"][0]["change"]["after"]


def unknown(data: dict) -> dict:
    return data["resource_changes"][0]["change"]["after_unknown"]


def planned(data: dict) -> dict:
    return data["planned_values"]["root_module"]["resources"][0]["values"]


def test_the_table_says_what_the_issue_cases_mean():
    assert unset_meanings("aws_rds_cluster")["storage_encrypted"] is False
    assert unset_meanings("aws_neptune_cluster")["deletion_protection"] is False
    assert unset_meanings("aws_instance")["metadata_options"] is UNKNOWN
    assert unset_meanings("aws_db_instance")["backup_retention_period"] is UNKNOWN
    assert unset_meanings("aws_security_group")["ingress"] is ABSENT
    assert unset_meanings("aws_kms_key")["deletion_window_in_days"] == 30  # what AWS applies


def test_an_absent_attribute_gets_the_provider_default_in_changes_and_planned_values():
    data = plan_with(rc("aws_rds_cluster", "orders", {"engine": "aurora-postgresql"}))
    done = normalise_plan(data)
    assert after(data)["storage_encrypted"] is False and planned(data)["storage_encrypted"] is False
    assert done["aws_rds_cluster.orders"].filled["storage_encrypted"] is False


def test_a_computed_attribute_nobody_set_gets_its_meaning_and_is_no_longer_unknown():
    change = rc("aws_rds_cluster", "orders", {"engine": "aurora-postgresql"})
    change["change"]["after_unknown"]["storage_encrypted"] = True  # a real plan of an unset Optional+Computed
    data = plan_with(change)
    normalise_plan(data)
    assert after(data)["storage_encrypted"] is False
    assert "storage_encrypted" not in unknown(data)


def test_a_configured_value_known_only_after_apply_stays_unknown():
    change = rc("aws_rds_cluster", "orders", {"engine": "aurora-postgresql"})
    change["change"]["after_unknown"]["storage_encrypted"] = True
    data = plan_with(change, {"storage_encrypted": {"references": ["data.aws_ssm_parameter.enc.value"]}})
    assert "aws_rds_cluster.orders" not in normalise_plan(data) or "storage_encrypted" not in after(data)
    assert unknown(data)["storage_encrypted"] is True


def test_null_is_unset_whatever_the_expression():
    data = plan_with(rc("aws_neptune_cluster", "graph", {"deletion_protection": None}),
                     {"deletion_protection": {"references": ["var.protect"]}})
    normalise_plan(data)
    assert after(data)["deletion_protection"] is False


def test_unknown_meaning_marks_the_attribute_known_after_apply_and_drops_a_null():
    data = plan_with(rc("aws_db_instance", "db", {"backup_retention_period": None, "engine": "postgres"}))
    done = normalise_plan(data)
    assert "backup_retention_period" not in after(data) and "backup_retention_period" not in planned(data)
    assert unknown(data)["backup_retention_period"] is True
    assert done["aws_db_instance.db"].unknown == {"backup_retention_period"}


def test_set_values_are_left_alone_and_normalising_twice_changes_nothing():
    data = plan_with(rc("aws_rds_cluster", "orders", {"storage_encrypted": True, "deletion_protection": True,
                                                      "backup_retention_period": 7}))
    normalise_plan(data)
    assert {k: after(data)[k] for k in ("storage_encrypted", "deletion_protection", "backup_retention_period")} == {
        "storage_encrypted": True, "deletion_protection": True, "backup_retention_period": 7}
    once = plan_with(rc("aws_instance", "web", {"ami": "ami-1"}))
    normalise_plan(once)
    twice = copy.deepcopy(once)
    normalise_plan(twice)
    assert twice == once


def test_deleted_resources_and_unlisted_types_are_not_touched():
    gone = rc("aws_rds_cluster", "old", {})
    gone["change"]["actions"] = ["delete"]
    data = plan_with(gone)
    before = copy.deepcopy(data)
    assert normalise_plan(data) == {} and data == before
    data = plan_with(rc("null_resource", "x", {}))
    assert normalise_plan(data) == {}


def test_is_unset_reads_null_empty_and_unconfigured_unknowns_as_unset():
    assert is_unset({"a": None}, {}, {}, "a") and is_unset({"a": []}, {}, {}, "a") and is_unset({}, {}, {}, "a")
    assert is_unset({}, {"a": True}, {}, "a")
    assert not is_unset({}, {"a": True}, {"a": {"references": ["aws_kms_key.k.arn"]}}, "a")
    assert not is_unset({"a": False}, {}, {}, "a")
    assert is_unset({}, {"a": True}, {"a": {"constant_value": None}}, "a")


def test_a_default_two_blocks_down_fills_each_instance_but_not_one_known_after_apply():
    change = rc("aws_lb_listener", "http", {"port": 80, "protocol": "HTTP", "default_action": [
        {"type": "redirect", "redirect": [{"port": "443", "protocol": None, "status_code": "HTTP_301"}]},
        {"type": "redirect", "redirect": [{"port": "443", "protocol": None, "status_code": "HTTP_302"}]},
        {"type": "forward", "redirect": []},
    ]})
    change["change"]["after_unknown"]["default_action"] = [{"redirect": [{}]}, {"redirect": [{"protocol": True}]}, {}]
    data = plan_with(change)
    resource = data["planned_values"]["root_module"]["resources"][0]
    resource["values"] = copy.deepcopy(resource["values"])  # a real plan's planned values are their own object
    done = normalise_plan(data)
    actions = after(data)["default_action"]
    assert actions[0]["redirect"][0]["protocol"] == "#{protocol}" and actions[2]["redirect"] == []
    assert actions[1]["redirect"][0]["protocol"] is None  # configured, known only after apply: the plan's to tell
    assert [a["redirect"][0]["protocol"] for a in planned(data)["default_action"][:2]] == ["#{protocol}", None]
    assert done["aws_lb_listener.http"].filled == {"default_action.redirect.protocol": "#{protocol}"}


def test_elasticache_unset_backups_mean_none_and_a_member_cluster_has_no_engine_of_its_own():
    assert unset_meanings("aws_elasticache_replication_group")["snapshot_retention_limit"] == 0
    group = rc("aws_elasticache_replication_group", "sessions", {"engine": "redis", "snapshot_retention_limit": None})
    member = rc("aws_elasticache_cluster", "member", {"cluster_id": "sessions-002", "replication_group_id": "sessions"})
    member["change"]["after_unknown"]["engine"] = True
    data = minimal_plan([group, member])
    done = normalise_plan(data)
    assert data["resource_changes"][0]["change"]["after"]["snapshot_retention_limit"] == 0
    # ABSENT: the engine the provider echoes from the group is no reason for "unknown"
    assert done["aws_elasticache_cluster.member"].absent == {"engine"}
    assert data["resource_changes"][1]["change"]["after_unknown"]["engine"] is True
    # the provider leaves these to AWS and AWS picks them from what the plan does not show: no meaning, so a
    # real plan's "known after apply" stays and tfguard reports unknown where a guardrail needs the value
    assert "at_rest_encryption_enabled" not in unset_meanings("aws_elasticache_replication_group")
    assert "enhanced_vpc_routing" not in unset_meanings("aws_redshift_cluster")
    assert unset_meanings("aws_redshift_cluster")["publicly_accessible"] is True
