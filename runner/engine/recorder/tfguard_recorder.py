"""radish hooks loaded into terraform-compliance (by `--basedir`) to record every scenario's outcome.

The same module runs inside the real `terraform-compliance` CLI process (engine `cli`) and inside forked
in-process evaluations (engine `inprocess`), so both engines report from one place. It writes JSON to the
path given by `--user-data=tfguard_out=PATH`, atomically, when radish has finished (with `complete` set);
a run that died half-way leaves no full result, which reads as an engine error.

When tfguard asks (a `watch.json` beside the output: resource addresses whose values are partly known only
after apply), it also records which of those resources each step was given (`reached`, step line ->
addresses), so that tfguard can tell a resource judged on a value nobody knows yet from one judged on
known values; and, once for the evaluation, the top-level attributes the engine holds a value for on each
of them (`engine_keys`)."""

import json
import os

from radish import after, before, world
from terraform_compliance.common import error_handling

_RECORD = {"scenarios": [], "complete": False}
_MESSAGES = {}
_REACHED = {}
_WATCH = {}
_ENGINE_KEYS = {}


def _out_path():
    try:
        return world.config.user_data.get("tfguard_out")
    except AttributeError:
        return None


def _encoded(record):
    """The record as UTF-8 JSON: orjson (terraform-compliance's own dependency) where it can encode it, 8x
    faster than json.dumps on the record of a large plan; json.dumps for anything orjson refuses."""
    try:
        import orjson

        return orjson.dumps(record)
    except (ImportError, TypeError):
        return json.dumps(record).encode("utf-8")


def _flush():
    path = _out_path()
    if not path:
        return
    tmp = "{}.{}.tmp".format(path, os.getpid())
    with open(tmp, "wb") as fh:
        fh.write(_encoded(_RECORD))
    os.replace(tmp, path)


if not getattr(error_handling.Error, "_tfguard_recording", False):
    _original_init = error_handling.Error.__init__

    def _recording_init(self, step_obj, message, *args, **kwargs):
        scenario = step_obj.parent
        warning = bool(getattr(step_obj.context, "no_failure", False))
        _MESSAGES.setdefault(id(scenario), []).append(
            {"message": str(message), "warning": warning, "step": step_obj.sentence, "line": step_obj.line}
        )
        _original_init(self, step_obj, message, *args, **kwargs)

    error_handling.Error.__init__ = _recording_init
    error_handling.Error._tfguard_recording = True


def _step_error(step):
    failure = getattr(step, "failure", None)
    if failure is None or getattr(failure, "name", "") == "Failure":
        return None
    reason = getattr(failure, "reason", "") or str(getattr(failure, "exception", ""))
    return "{}: {}".format(getattr(failure, "name", "Error"), reason).strip()


def _watched():
    """The addresses tfguard asked to follow (read once per evaluation; none when it did not ask)."""
    path = _out_path()
    if path not in _WATCH:
        try:
            with open(os.path.join(os.path.dirname(path), "watch.json"), encoding="utf-8") as fh:
                _WATCH[path] = frozenset(json.load(fh))
        except (OSError, ValueError, TypeError):
            _WATCH[path] = frozenset()
    return _WATCH[path]


@before.each_step(order=0)
def _tfguard_reach(step):
    watch = _watched() if _out_path() else ()
    if not watch or not getattr(step, "runable", True):
        return  # a step after a skip (or a @warning failure) is not run: it is given nothing
    stash = getattr(step.context, "stash", None)
    if not isinstance(stash, list):
        return
    found = sorted({e.get("address") for e in stash if isinstance(e, dict) and e.get("address") in watch})
    _REACHED.setdefault(id(step.parent), {})[str(step.line)] = found
    _remember_engine_keys(found)


def _remember_engine_keys(addresses):
    """The top-level attributes the engine holds a value for, per watched resource: where the plan knows a
    value only after apply, the engine may have filled in the resource it references (its mounting)."""
    parser = getattr(world.config, "terraform", None)
    resources = getattr(parser, "resources", None) or {}
    for address in addresses:
        if address not in _ENGINE_KEYS:
            values = (resources.get(address) or {}).get("values")
            _ENGINE_KEYS[address] = sorted(k for k, v in values.items() if v is not None) \
                if isinstance(values, dict) else []


@before.all(order=0)
def _tfguard_start(features, marker):
    _RECORD["scenarios"] = []
    _RECORD["complete"] = False
    _flush()


@after.each_scenario(order=0)
def _tfguard_record(scenario):
    outline = getattr(scenario, "parent", None)
    line = scenario.line
    if outline is not None and type(outline).__name__ in ("ScenarioOutline", "ScenarioLoop"):
        line = outline.line
    messages = _MESSAGES.pop(id(scenario), [])
    reached = _REACHED.pop(id(scenario), {})
    errors = []
    states = []
    for step in scenario.all_steps:
        states.append(step.state)
        if step.state == "failed":
            recorded = any(m["line"] == step.line for m in messages)
            err = _step_error(step)
            if err and not recorded:
                errors.append("{} (at step '{}')".format(err, step.sentence))
    _RECORD["scenarios"].append(
        {
            "path": scenario.path,
            "line": line,
            "name": scenario.sentence,
            "state": scenario.state,
            "step_states": states,
            "failures": messages,
            "errors": errors,
            "reached": reached,
        }
    )


@after.all(order=0)
def _tfguard_done(features, marker):
    # once per evaluation, not per scenario: on a 32k-resource plan the per-scenario copies were most of a
    # 99 MB recording
    _RECORD["engine_keys"] = dict(_ENGINE_KEYS)
    _RECORD["complete"] = True
    _flush()
