"""The import contracts hold the design: each probe that breaks it makes `lint-imports` fail.

Each probe adds one import to a copy of the packages and runs the real `lint-imports` on the copy.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
SQL_IN_THE_CORE = "SQL lives in the core"
ADAPTERS_ALLOW_LIST = "Adapters import only"
LAYERS = "Inbound flows one way"
NO_CYCLES = "No import cycles"


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("pristine")
    for package in ("bot", "handlers", "campaigns"):
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def verdict(output: str, contract: str) -> str | None:
    """KEPT or BROKEN, as the report says of the contract whose name starts with `contract`."""
    flowing = " ".join(output.split())  # the report wraps long contract names over lines
    found = re.search(re.escape(contract) + r".*? (KEPT|BROKEN)\b", flowing)
    return found.group(1) if found else None


def test_the_contracts_hold_on_the_code_as_it_is(pristine: Path) -> None:
    done = lint(pristine)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout


@pytest.mark.parametrize(
    ("module", "probe", "contract"),
    [
        ("handlers/help.py", "from sqlalchemy import text", SQL_IN_THE_CORE),
        ("bot/adapters/slack/convert.py", "import bot.core.merging", ADAPTERS_ALLOW_LIST),
        ("bot/adapters/slack/convert.py", "import sqlalchemy", SQL_IN_THE_CORE),
        ("bot/dispatcher.py", "import sqlalchemy", SQL_IN_THE_CORE),
        ("bot/runtime.py", "from sqlalchemy import text", SQL_IN_THE_CORE),
        ("bot/outbox_sender.py", "import sqlalchemy", SQL_IN_THE_CORE),
        ("bot/dispatcher.py", "import bot.adapters.slack.convert", LAYERS),
        ("handlers/ideas.py", "import bot.dispatcher", LAYERS),
        ("bot/core/ideas.py", "import handlers.idea_views", LAYERS),
        ("bot/context.py", "import bot.registry", NO_CYCLES),
    ],
)
def test_each_probe_breaks_its_contract(
    pristine: Path, tmp_path: Path, module: str, probe: str, contract: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    with (tree / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{probe}  # probe\n")
    done = lint(tree)
    assert done.returncode != 0
    assert verdict(done.stdout, contract) == "BROKEN", done.stdout
