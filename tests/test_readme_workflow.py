"""The README's GitHub Actions workflow, run here step by step in its order: install, audit,
summary, SARIF upload, artifact. Its install step once named a package that is not on the
index, and its SARIF upload failed on GitHub (issue 20).

Each `run:` step is run by bash as written, with what GitHub would provide: `vars.PREVIEW_URL`
is the demo site served from 127.0.0.1, `secrets.PREVIEW_AUTH` a password, `GITHUB_STEP_SUMMARY`
a file. Two substitutions keep the test offline, both in the install step: the repository URL
becomes this checkout (`git+file://`, at its last commit), and pip is told to use the
packages already installed (`--no-index --no-build-isolation --no-deps`) and to install
geoaudit afresh (`--ignore-installed`). The `uses:` steps
are GitHub's; for upload-sarif the test checks what GitHub would check (the SARIF 2.1.0 schema
and the upload rules), for upload-artifact that the folder is there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO, github_upload_problems

from geoaudit.devserver import serve_directory

DEMO = REPO / "geoaudit" / "data" / "demo_site"


def readme_workflow() -> tuple[dict, str]:
    """The README's workflow and the configuration file it says to keep next to it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"A GitHub Actions workflow.*?```yaml\n(.*?)```(.*?)```toml\n(.*?)```",
                      readme, re.S)
    assert block, "README has no GitHub Actions workflow followed by its geoaudit.toml"
    return yaml.safe_load(block.group(1)), block.group(3)


def github_expression(text: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        assert name in values, f"the workflow uses {name}, which the test does not provide"
        return values[name]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def offline_install(command: str) -> str:
    url = re.search(r"git\+https://github\.com/[^@\"]+@(\w+)", command)
    assert url, f"the install step no longer installs from the repository: {command}"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
    local = command.replace(url.group(0), f"git+file://localhost{REPO}@{commit}")
    # --ignore-installed: this environment's own geoaudit (installed by .ci/run) is visible
    # through parent.pth and would otherwise count as already installed.
    offline = "--no-index --no-build-isolation --no-deps --ignore-installed"
    return local.replace("pip install", f"pip install {offline}")


def test_readme_workflow_steps_run_in_order(tmp_path, sarif_schema):
    if not (REPO / ".git").is_dir() or shutil.which("git") is None:
        pytest.skip("needs this checkout's git history (the install step installs a commit)")
    workflow, config = readme_workflow()
    steps = workflow["jobs"]["geo"]["steps"]
    # The repository the workflow runs in: the built site, its config and a kept baseline.
    repo = tmp_path / "repo"
    shutil.copytree(DEMO, repo / "public")
    (repo / "geoaudit.toml").write_text(config, encoding="utf-8")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    # The new environment sees this one's packages (scrapy, hatchling…), not its geoaudit:
    # a path in a .pth file is added without running the editable install's finder.
    purelib = Path(sysconfig.get_paths()["purelib"])
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    (site_packages / "parent.pth").write_text(f"{purelib}\n", encoding="utf-8")
    summary = tmp_path / "step-summary.md"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PYTHONPATH")},
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ACTIONS": "true",
    }
    ran = []
    with serve_directory(repo / "public") as base:
        values = {"vars.PREVIEW_URL": f"{base}/", "secrets.PREVIEW_AUTH": "preview:secret"}
        for step in steps:
            if "run" in step:
                command = github_expression(step["run"], values)
                if "pip install" in command:
                    command = offline_install(command)
                    kind = "install"
                else:
                    kind = "audit" if "geoaudit audit" in command else "summary"
                step_env = {**env, **{k: github_expression(str(v), values)
                                      for k, v in step.get("env", {}).items()}}
                if kind == "audit":
                    # The kept baseline the step compares with: last week's run of the same
                    # audit, before there was a baseline.
                    kept = re.search(r"--baseline (\S+)", command)
                    assert kept, "the audit step no longer keeps a baseline"
                    last_week = command.replace(kept.group(0), "").replace("--fail-on-new", "")
                    first = subprocess.run(
                        ["bash", "-c", f"{last_week.strip()} -q -o {tmp_path / 'last-week'}"],
                        cwd=repo, env=step_env, capture_output=True, text=True, timeout=300)
                    assert first.returncode in (0, 1), first.stderr
                    (repo / kept.group(1)).parent.mkdir(parents=True)
                    shutil.copy(tmp_path / "last-week" / "report.json", repo / kept.group(1))
                proc = subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=repo,
                                      env=step_env, capture_output=True, text=True, timeout=600)
                ran.append(kind)
                if kind == "audit":
                    # Nothing new since last week, and a score over 80: the gate passes.
                    assert proc.returncode == 0, proc.stderr
                    assert "Traceback" not in proc.stderr
                else:
                    assert proc.returncode == 0, (command, proc.stderr)
                if kind == "install":
                    where = subprocess.run(
                        ["python", "-c", "import geoaudit; print(geoaudit.__file__)"],
                        cwd=repo, env=env, capture_output=True, text=True, check=True)
                    assert where.stdout.startswith(str(venv)), where.stdout
                continue
            action = step["uses"].split("@")[0]
            if action == "github/codeql-action/upload-sarif":
                sarif_path = repo / step["with"]["sarif_file"]
                sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
                jsonschema.Draft4Validator(sarif_schema).validate(sarif)
                assert github_upload_problems(sarif_path) == []
                located = {(r["ruleId"], r["locations"][0]["physicalLocation"]
                            ["artifactLocation"]["uri"]) for r in sarif["runs"][0]["results"]}
                # --source-root public/: every result sits in a file of the repository, but
                # the broken link's page (AC002) and the missing llms.txt (LT001), which are
                # files to make.
                missing = {(rule, uri) for rule, uri in located if not (repo / uri).is_file()}
                assert located and {rule for rule, _ in missing} <= {"AC002", "LT001"}, missing
                assert all(uri.startswith("public/") for _, uri in located)
                ran.append("sarif")
            elif action == "actions/upload-artifact":
                assert (repo / step["with"]["path"] / "report.html").is_file()
                ran.append("artifact")
    assert ran == ["install", "audit", "summary", "sarif", "artifact"]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## geoaudit: ") and " for https://www.example.com\n" in text
    assert "**Gate passed**" in text and "Since the baseline: 0 new, 0 fixed" in text
