"""The wheel built from the checkout is the whole package: code, reference data and typing marker,
and once installed in a fresh venv its command line works from any folder."""

from __future__ import annotations

import zipfile
from pathlib import Path

from cnncount.published import published_params
from tests.reader import ROOT, run

PACKAGE = ROOT / "cnncount"


def test_wheel_holds_the_data_and_the_typing_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {path.relative_to(ROOT).as_posix() for path in (PACKAGE / "data").iterdir()}
    assert data and data <= names
    assert "cnncount/py.typed" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_installed_wheel_counts_vgg16_from_an_empty_folder(
    reader_venv: Path, tmp_path: Path
) -> None:
    result = run(reader_venv / "bin" / "cnncount", "vgg16", cwd=tmp_path)
    assert f"{published_params()['vgg16']:,}" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_installed_package_imports_neither_numpy_nor_matplotlib(
    reader_venv: Path, tmp_path: Path
) -> None:
    """The notebooks extra installs both; importing cnncount must still load neither."""
    code = "import sys, cnncount; print(cnncount.__file__); print(sorted({'numpy', 'matplotlib'} & set(sys.modules)))"
    result = run(reader_venv / "bin" / "python", "-c", code, cwd=tmp_path)
    location, loaded = result.stdout.splitlines()
    assert Path(location).resolve().is_relative_to(reader_venv.resolve())
    assert loaded == "[]"
