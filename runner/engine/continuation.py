"""A step that fails judges the resources it names; the steps after it still judge the others.

radish stops a scenario at its first failing step. In a guardrail of several steps that can fail,
`Then it must contain sse_algorithm` / `And its value must match the "^aws:kms" regex`, a bucket without
any encryption configuration failed the first step and the second never ran: every bucket encrypted
with AES256 passed, without a word, until the first bucket was fixed. One bad resource hid the findings
of every other.

`install_step_continuation` replaces `radish.runner.Runner.run_scenario` with a loop that goes on after a
step that failed by terraform-compliance's own `Failure` (resources that do not comply, each named in an
error message): the resources the step named leave the stash, and the next step judges the rest. The
scenario stays failed, and every step's failures are recorded. It stops, as radish did, when a step
failed in any other way (an exception of the step itself: an engine error), when the failure leaves no
resource to judge, or when no resource of the stash can be told apart from those the step named. A
`@warning` guardrail's failure skips its remaining steps as before (terraform-compliance marks them not
runnable)."""

from __future__ import annotations

from typing import Any

from runner.engine.messages import parse_addresses

_MESSAGES: dict[int, list[str]] = {}  # id(step) -> the failure messages terraform-compliance gave it


def _record_messages(error_class: Any) -> None:
    if getattr(error_class, "_tfguard_continuation", False):
        return
    original = error_class.__init__

    def init(self: Any, step_obj: Any, message: Any, *args: Any, **kwargs: Any) -> None:
        _MESSAGES.setdefault(id(step_obj), []).append(str(message))
        original(self, step_obj, message, *args, **kwargs)

    error_class.__init__ = init
    error_class._tfguard_continuation = True


def remaining_after_failure(stash: Any, messages: list[str]) -> list[dict[str, Any]] | None:
    """The entries of the stash a failed step did not name, for the next step; None when nothing is left
    to judge, or when the stash is not a list of resources the messages can be matched against."""
    if not isinstance(stash, list) or not stash or not all(isinstance(e, dict) and e.get("address") for e in stash):
        return None
    addresses = [str(e["address"]) for e in stash]
    named = {a for m in messages for a in parse_addresses(m, addresses)}
    left = [e for e in stash if str(e["address"]) not in named]
    return left or None


def _continue_after(step: Any) -> bool:
    """Prepare the context for the step after `step`, which failed; False when the scenario must stop."""
    messages = _MESSAGES.pop(id(step), [])
    failure = getattr(step, "failure", None)
    if failure is None or getattr(failure, "name", "") != "Failure" or not messages:
        return False  # an exception of the step, not resources that failed: an engine error stops here
    context = step.context
    left = remaining_after_failure(getattr(context, "stash", None), messages)
    if left is None:
        return False
    context.stash = left
    if isinstance(getattr(context, "addresses", None), list):
        context.addresses = [str(e["address"]) for e in left]
    return True


def install_step_continuation() -> None:
    """Make radish run the steps after a failing one on the resources it did not fail (idempotent)."""
    from radish.runner import Runner
    from radish.stepmodel import Step
    from radish.terrain import world
    from terraform_compliance.common import error_handling

    _record_messages(error_handling.Error)
    if getattr(Runner, "_tfguard_continuation", False):
        return

    def run_scenario(self: Any, scenario: Any) -> int:
        returncode = 0
        steps = scenario.all_steps if world.config.expand else scenario.steps
        stopped = False
        for step in steps:
            if stopped:
                self.skip_step(step)
                continue
            _MESSAGES.pop(id(step), None)
            returncode |= self.run_step(step)
            if step.state == Step.State.FAILED:
                if self._early_exit:
                    self.exit()
                    return 1
                stopped = not _continue_after(step)
            _MESSAGES.pop(id(step), None)
        return returncode

    # radish's own decorators, as on the method this replaces: the exit check and the each_scenario hooks
    handle_exit, call_hooks = Runner.__dict__["handle_exit"], Runner.__dict__["call_hooks"]
    Runner.run_scenario = handle_exit(call_hooks("each_scenario")(run_scenario))
    Runner._tfguard_continuation = True
