"""Repository wiring: the README's commands, the Pages workflow and CI agree."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    block = re.search(r"## Set up.*?```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def make_recipe(target: str) -> list[str]:
    text = (ROOT / "Makefile").read_text()
    body = re.search(rf"^{target}:.*?\n((?:\t.*\n)+)", text, re.M).group(1)
    return [line.strip() for line in body.splitlines()]


def test_readme_has_exactly_two_commands_build_and_test():
    assert readme_commands() == ["make serve", "make test"]


def test_pages_workflow_runs_the_readme_build():
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert "run: make site" in workflow and "path: site" in workflow
    # `make site` is `make serve` without the serving: the same build script, same arguments.
    (serve,) = make_recipe("serve")
    (site,) = make_recipe("site")
    assert serve == site + " --serve"


def test_ci_runs_the_readme_test_command():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert readme_commands()[1] in lines
