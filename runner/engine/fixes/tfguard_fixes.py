"""Loaded into terraform-compliance with `--basedir` by every tfguard engine (and by the parity checks'
plain CLI run), before any plan is parsed: applies tfguard's corrections of the engine, so that the
in-process engine and one `terraform-compliance` process per plan judge a plan alike.

It imports tfguard; a terraform-compliance that cannot import it fails to start (an engine error, exit 2),
never silently runs uncorrected."""

from terraform_compliance.extensions.terraform import TerraformParser

from runner.engine.corrections import install_engine_fixes

install_engine_fixes(TerraformParser)
