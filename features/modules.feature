Feature: Module guardrails
  Guardrails for the module blocks that a workload calls. The engine sees a module call only through the
  resources it creates: each resource in a module carries the source of the module block that contains it
  (configuration.root_module.module_calls.NAME.source in the plan). A module that creates no resource of
  its own (only nested modules) is not seen, and a module with count = 0 creates nothing and is not judged.
  The version argument of a module block (version_constraint in the plan) is not exposed by the engine, so
  whether a registry module pins its version cannot be checked here.

  @id:MOD-001 @severity:high
  Scenario: Modules sourced from git are pinned to a release tag or a commit
    A module block whose source is a git or Mercurial address (git::, hg::, git@host:, github.com/ or
    bitbucket.org/) must end in ?ref= with a release tag (v1.2.3, 1.2, 2.0.0-rc.1) or a commit id (7 or
    more hex digits; the full 40 are safest). Without ref, or with a branch such as main, every
    terraform init may fetch different code, so what was reviewed is not what runs. Every resource that
    the module creates is reported, under its own address. Local paths (./modules/x) and registry
    modules are not checked here.

    Remediation: Append ?ref=<tag> (for example ?ref=v2.4.1) or ?ref=<full commit id> to the source of
      the module block that creates the reported resource (after any //subdirectory, e.g.
      "git::https://github.com/acme/terraform-aws-queue.git//modules/fifo?ref=v2.4.1"), and update the
      tag through reviewed pull requests.
    Given I have resource that supports id defined
    When its source metadata is "^(?:git::|hg::|git@|github\.com/|bitbucket\.org/)(?!.*[?&]ref=(?:v?\d+(?:\.\d+)?(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?|[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]*)(?:&|$))" regex
    # no engine step fails every remaining resource by address, so ask for an argument no resource has
    Then it must contain module_source_pinned_to_a_tag_or_commit
