"""radish hooks loaded into terraform-compliance (by `--basedir`) to record every scenario's outcome.

The same module runs inside the real `terraform-compliance` CLI process (engine `cli`) and inside forked
in-process evaluations (engine `inprocess`), so both engines report from one place. It writes JSON to the
path given by `--user-data=tfguard_out=PATH`, atomically, when radish has finished (with `complete` set);
a run that died half-way leaves no full result, which reads as an engine error.

When tfguard asks (a `watch.json` beside the output: resource addresses whose values are partly known only
after apply), it also records which of those resources each step was given (`reached`, step line ->
addresses), so that tfguard can tell a resource judged on a value nobody knows yet from one judged on
known values."""

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


def _flush():
    path = _out_path()
    if not path:
        return
    tmp = "{}.{}.tmp".format(path, os.getpid())
    text = json.dumps(_RECORD)  # one C-encoded string: json.dump to a file encodes in Python, 5x slower
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
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
    given = {a for addrs in reached.values() for a in addrs}
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
            "engine_keys": {a: _ENGINE_KEYS.get(a, []) for a in sorted(given)},
        }
    )


@after.all(order=0)
def _tfguard_done(features, marker):
    _RECORD["complete"] = True
    _flush()
