"""A release says one version everywhere, and its workflow (.github/workflows/release.yml), which
cannot run here, does what it must: on a version tag, refuse a tag that is not the version, build
the sdist and the wheel, test the wheel in a fresh venv, and publish them to PyPI by trusted
publishing. Its tag check and its test job are run here, on this checkout and its wheel."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import cnncount
from cnncount.published import published_params

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10, where pytest brings tomli
    import tomli as tomllib

ROOT = Path(__file__).parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.MULTILINE)
"""A released version's heading in CHANGELOG.md: ``## [0.1.0] - 2026-12-04``."""


def changelog() -> str:
    return (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def citation() -> dict[str, Any]:
    parsed = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert isinstance(parsed, dict)
    return parsed


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_changelog_keeps_the_unreleased_section_first() -> None:
    headings = re.findall(r"^## (.*)$", changelog(), re.MULTILINE)
    assert headings[0] == "[Unreleased]"
    assert all(RELEASE.match(f"## {heading}") for heading in headings[1:]), headings


def test_every_release_in_the_changelog_has_its_link() -> None:
    versions = [version for version, _ in RELEASE.findall(changelog())]
    links = re.findall(r"^\[(\d+\.\d+\.\d+)\]: https://\S+$", changelog(), re.MULTILINE)
    assert versions and links == versions


def test_releases_are_newest_first() -> None:
    released = RELEASE.findall(changelog())
    versions = [tuple(map(int, version.split("."))) for version, _ in released]
    dates = [datetime.date.fromisoformat(date) for _, date in released]
    assert versions == sorted(versions, reverse=True)
    assert dates == sorted(dates, reverse=True)


def test_changelog_citation_and_package_give_one_version() -> None:
    newest, date = RELEASE.findall(changelog())[0]
    assert cnncount.__version__ == newest
    assert str(citation()["version"]) == newest
    assert citation()["date-released"] == datetime.date.fromisoformat(date)


def test_the_version_is_written_only_in_the_package() -> None:
    project = pyproject()["project"]
    assert "version" not in project and project["dynamic"] == ["version"]


def test_the_citation_names_the_work_its_authors_and_its_licence() -> None:
    cff = citation()
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] and cff["message"]
    assert cff["authors"] == [{"name": "the cnncount developers"}]
    assert cff["license"] == pyproject()["project"]["license"] == "MIT"


def test_the_licence_file_is_the_one_the_package_names() -> None:
    assert pyproject()["project"]["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) ")
    assert "CC BY 4.0" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    parsed = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(parsed, dict)
    return parsed


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def uses(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    """Return the steps of ``job`` that use ``action`` (``actions/checkout``), whatever its version."""
    return [step for step in steps(job) if step.get("uses", "").split("@")[0] == action]


def script(job: dict[str, Any]) -> str:
    """Return the shell lines of ``job``'s run steps, in order."""
    return "\n".join(step["run"] for step in steps(job) if "run" in step)


def test_runs_on_version_tags_only(workflow: dict[Any, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert triggers == {"push": {"tags": ["v*"]}}


def test_jobs_run_in_order_and_only_publishing_may_ask_for_a_token(
    workflow: dict[Any, Any],
) -> None:
    jobs = workflow["jobs"]
    assert list(jobs) == ["build", "test", "publish"]
    assert jobs["test"]["needs"] == "build" and jobs["publish"]["needs"] == "test"
    assert workflow["permissions"] == {"contents": "read"}
    assert jobs["publish"]["permissions"] == {"id-token": "write"}
    assert "permissions" not in jobs["build"] and "permissions" not in jobs["test"]


def test_builds_both_distributions_and_hands_them_on(workflow: dict[Any, Any]) -> None:
    build, test, publish = (workflow["jobs"][name] for name in ("build", "test", "publish"))
    assert "python -m build\n" in script(build)  # the sdist, then the wheel built from it
    (upload,) = uses(build, "actions/upload-artifact")
    for job in (test, publish):
        (download,) = uses(job, "actions/download-artifact")
        assert download["with"]["name"] == upload["with"]["name"]
        assert download["with"]["path"] == upload["with"]["path"] == "dist/"


def test_tests_the_wheel_without_the_checkout(workflow: dict[Any, Any]) -> None:
    test = workflow["jobs"]["test"]
    assert not uses(test, "actions/checkout")
    assert "python -m venv" in script(test) and '/bin/cnncount" vgg16' in script(test)
    assert "--pyargs cnncount --doctest-modules" in script(test)


def test_publishes_by_trusted_publishing(workflow: dict[Any, Any]) -> None:
    publish = workflow["jobs"]["publish"]
    assert publish["environment"]["name"] == "pypi"
    (step,) = uses(publish, "pypa/gh-action-pypi-publish")
    assert step["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in step  # no password: PyPI trusts the workflow's OIDC token
    assert not uses(publish, "actions/checkout")


def test_every_action_is_pinned_to_a_version(workflow: dict[Any, Any]) -> None:
    every = [step for job in workflow["jobs"].values() for step in steps(job)]
    assert all("@" in step["uses"] for step in every if "uses" in step)


def run_bash(lines: str, cwd: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run ``lines`` in ``cwd`` as a workflow's step runs them, with this interpreter as ``python``
    and no PYTHONPATH, so that ``import cnncount`` finds what the step would find."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    inherited = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", lines],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**inherited, "PATH": path, **environment},
    )


@pytest.mark.parametrize(
    ("tag", "passes"),
    [(f"v{cnncount.__version__}", True), (cnncount.__version__, False), ("v99.0.0", False)],
)
def test_the_tag_check_refuses_a_tag_that_is_not_the_version(
    workflow: dict[Any, Any], tag: str, passes: bool
) -> None:
    (check,) = [
        step
        for step in steps(workflow["jobs"]["build"])
        if "GITHUB_REF_NAME" in step.get("run", "")
    ]
    result = run_bash(check["run"], ROOT, GITHUB_REF_NAME=tag)
    assert (result.returncode == 0) is passes, result.stderr
    if not passes:
        assert result.stderr == (
            f"the tag {tag} is not v{cnncount.__version__}, the version in cnncount/__init__.py\n"
        )


def test_the_test_job_passes_on_this_wheel(
    workflow: dict[Any, Any], wheel: Path, tmp_path: Path
) -> None:
    """The test job's steps, run on the wheel of this checkout, in a fresh venv from an empty folder."""
    (tmp_path / "dist").mkdir()
    shutil.copy(wheel, tmp_path / "dist")
    runner = tmp_path / "runner"
    runner.mkdir()
    result = run_bash(script(workflow["jobs"]["test"]), tmp_path, RUNNER_TEMP=str(runner))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (
        f"{published_params()['vgg16']:,}" in result.stdout
        and " passed" in result.stdout.splitlines()[-1]
    )
    assert list((runner / "empty").iterdir()) == []
