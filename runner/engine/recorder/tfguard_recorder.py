"""radish hooks loaded into terraform-compliance (by `--basedir`) to record every scenario's outcome.

The same module runs inside the real `terraform-compliance` CLI process (engine `cli`) and inside forked
in-process evaluations (engine `inprocess`), so both engines report from one place. It writes JSON to the
path given by `--user-data=tfguard_out=PATH`, atomically, when radish has finished (with `complete` set);
a run that died half-way leaves no full result, which reads as an engine error."""

import json
import os

from radish import after, before, world
from terraform_compliance.common import error_handling

_RECORD = {"scenarios": [], "complete": False}
_MESSAGES = {}


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
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(_RECORD, fh)
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
        }
    )


@after.all(order=0)
def _tfguard_done(features, marker):
    _RECORD["complete"] = True
    _flush()
