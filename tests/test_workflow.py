"""The publishing workflow (.github/workflows/book.yml), which cannot run here, says what it must:
on a push to main, install PyTorch's CPU build, build the book with the README's command, print
it with `make pdf` where the intro links it, and deploy _build/html to GitHub Pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.reader import ROOT
from tools.print_pdf import PUBLISHED_PDF

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
MAKEFILE = ROOT / "Makefile"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    parsed = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(parsed, dict)
    return parsed


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    """Return every step of every job, in order."""
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict[Any, Any], action: str) -> list[dict[str, Any]]:
    """Return the steps that use ``action`` (``actions/checkout``), whatever its version."""
    return [step for step in steps(workflow) if step.get("uses", "").split("@")[0] == action]


def test_runs_on_pushes_to_main(workflow: dict[Any, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert triggers["push"]["branches"] == ["main"]


def rule(target: str) -> tuple[list[str], list[str]]:
    """Return a Makefile target's prerequisites and commands, its variables (``NAME := value``)
    expanded."""
    text = MAKEFILE.read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+)\s*[:?]?=\s*(.*)$", text, re.MULTILINE))

    def expand(line: str) -> str:
        while "$(" in line:
            line = re.sub(r"\$\((\w+)\)", lambda name: variables[name.group(1)], line)
        return line

    lines = text.split("\n")
    start = next(index for index, line in enumerate(lines) if line.startswith(f"{target}:"))
    prerequisites = expand(lines[start].partition(":")[2]).split()
    commands = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        commands.append(expand(line).strip())
    return prerequisites, commands


def test_builds_the_book_with_the_readme_command(workflow: dict[Any, Any]) -> None:
    assert "make book" in (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [step["run"].split("#")[0].strip() for step in steps(workflow) if "run" in step]
    assert commands[commands.index("make book") + 1] == "make pdf"
    for action in ("actions/checkout", "actions/setup-python", "actions/configure-pages"):
        assert len(uses(workflow, action)) == 1, action


def test_uploads_the_html_and_deploys_it(workflow: dict[Any, Any]) -> None:
    (upload,) = uses(workflow, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_build/html"
    (deploy,) = uses(workflow, "actions/deploy-pages")
    (job,) = [job for job in workflow["jobs"].values() if deploy in job["steps"]]
    assert job["environment"]["name"] == "github-pages"
    assert job["needs"] in ("build", ["build"]) and "build" in workflow["jobs"]


def test_may_deploy_and_deploys_one_at_a_time(workflow: dict[Any, Any]) -> None:
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["group"]


def test_every_action_is_pinned_to_a_version(workflow: dict[Any, Any]) -> None:
    assert all("@" in step["uses"] for step in steps(workflow) if "uses" in step)


def test_installs_pytorchs_cpu_build_before_the_build(workflow: dict[Any, Any]) -> None:
    """Without PyTorch the time chapter measures nothing: the workflow installs the CPU build (no
    CUDA libraries, from PyTorch's own index) into the Makefile's venv, then builds."""
    commands = [step["run"].split("#")[0].strip() for step in steps(workflow) if "run" in step]
    assert commands[:2] == ["make torch-cpu", "make book"]
    prerequisites, (install,) = rule("torch-cpu")
    assert prerequisites == [".venv/.installed"]  # the venv that `make book` builds with
    assert install.startswith(".venv/bin/python -m pip install ")
    words = install.split()
    assert words[words.index("--index-url") + 1] == "https://download.pytorch.org/whl/cpu"
    (pin,) = [word for word in words if word.startswith("torch==")]
    assert pin in rule("torch")[1][0].split()  # the torch of the cross-checks


def test_prints_the_pdf_with_chrome_and_publishes_it_where_the_intro_links_it(
    workflow: dict[Any, Any],
) -> None:
    """`make pdf` runs with the runner's Google Chrome, and the PDF it writes is copied into the
    published folder under the name that the intro's link (tests/test_links.py) points at."""
    (printing,) = [step for step in steps(workflow) if step.get("run", "").startswith("make pdf")]
    assert printing["env"]["CNNCOUNT_CHROMIUM"] == "/usr/bin/google-chrome"
    assert rule("pdf") == ([".venv/.installed"], [".venv/bin/python -m tools.print_pdf"])
    commands = [step["run"].split("#")[0].strip() for step in steps(workflow) if "run" in step]
    assert commands[-1] == f"cp _build/pdf/{PUBLISHED_PDF} _build/html/{PUBLISHED_PDF}"
    (upload,) = uses(workflow, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_build/html"
