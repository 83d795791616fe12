"""Properties of the package itself: light to import, documented by examples."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import itertools
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cnncount

OPTIONAL = ("numpy", "matplotlib", "torch", "onnx", "keras")
"""Packages that only the book's figures and the tests use: counting needs none of them."""


def test_import_and_command_line_need_no_optional_dependency() -> None:
    """``import cnncount`` and the command line run where none of the optional packages is installed."""
    code = "import sys, cnncount.cli; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert loaded.isdisjoint(OPTIONAL), loaded & set(OPTIONAL)


NEEDS_TORCH = "cnncount.readers.torch_"
"""The PyTorch reader's modules that import torch (all but ``cnncount.readers.torch``, its entry
point): they are checked where torch is installed."""


def _public_modules() -> list[str]:
    names = [info.name for info in pkgutil.walk_packages(cnncount.__path__, "cnncount.")]
    has_torch = importlib.util.find_spec("torch") is not None
    return [
        name
        for name in names
        if name != "cnncount.__main__" and (has_torch or not name.startswith(NEEDS_TORCH))
    ]


def _public_callables():
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            value = getattr(module, name)
            if inspect.isfunction(value):
                yield f"{module_name}.{name}", value
            elif inspect.isclass(value) and value.__module__ == module_name:
                yield f"{module_name}.{name}", value
                for attribute, member in vars(value).items():
                    if not attribute.startswith("_") and (
                        inspect.isfunction(member) or isinstance(member, (classmethod, property))
                    ):
                        yield f"{module_name}.{name}.{attribute}", member


@pytest.mark.parametrize(
    ("name", "value"),
    list(_public_callables()),
    ids=lambda item: item if isinstance(item, str) else "",
)
def test_every_public_function_has_a_doctest_example(name, value) -> None:
    function = (
        value.__func__
        if isinstance(value, classmethod)
        else value.fget
        if isinstance(value, property)
        else value
    )
    assert ">>>" in (function.__doc__ or ""), f"{name} has no example in its docstring"


def test_every_module_declares_all() -> None:
    for module_name in _public_modules():
        assert hasattr(importlib.import_module(module_name), "__all__"), module_name


def _attribute_docstrings() -> list[tuple[str, str]]:
    """Return each attribute's and property's docstring, named by where it is, from the source."""
    import ast
    from pathlib import Path

    found = []
    for path in sorted(Path(cnncount.__file__).parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            for before, after in itertools.pairwise(body if isinstance(body, list) else []):
                is_string = isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                if isinstance(before, (ast.Assign, ast.AnnAssign)) and is_string:
                    found.append((f"{path.name}:{after.lineno}", str(after.value.value)))
            decorated = isinstance(node, ast.FunctionDef) and any(
                isinstance(decorator, ast.Name) and decorator.id == "property"
                for decorator in node.decorator_list
            )
            if decorated and ast.get_docstring(node):
                found.append((f"{path.name}:{node.lineno}", ast.get_docstring(node) or ""))
    return found


@pytest.mark.parametrize(
    ("where", "docstring"),
    _attribute_docstrings(),
    ids=lambda item: item if ":" in item[:40] and "\n" not in item else "",
)
def test_attribute_docstrings_open_without_a_colon(where, docstring) -> None:
    """Napoleon reads "text: more" on an attribute's first line as a type, which the API page then fails to link."""
    assert ": " not in docstring.splitlines()[0], where


def test_every_layer_a_module_defines_is_exported() -> None:
    """Each layer class of a module of cnncount.layers is in cnncount.layers and in cnncount."""
    from cnncount import layers

    found = 0
    for info in pkgutil.iter_modules(layers.__path__, "cnncount.layers."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, layers.Layer):
                found += 1
                assert getattr(layers, name) is value and name in layers.__all__, name
                assert getattr(cnncount, name) is value and name in cnncount.__all__, name
    assert found == len(layers.__all__)


def _modules_loaded(code: str) -> set[str]:
    """Return the cnncount modules loaded once ``code`` has run in a fresh interpreter."""
    shown = (
        "; import sys; print(' '.join(name for name in sys.modules if name.startswith('cnncount')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code + shown], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_a_layer_module_is_loaded_when_one_of_its_names_is_asked_for() -> None:
    """``import cnncount`` loads no layer module beyond those a network needs; asking for a
    name loads its module, through cnncount and cnncount.layers alike."""
    loaded = _modules_loaded("import cnncount")
    assert "cnncount.layers.attention" not in loaded and "cnncount.layers.tokens" not in loaded
    assert "cnncount.layers.attention" in _modules_loaded(
        "import cnncount; cnncount.MultiheadAttention"
    )
    assert "cnncount.layers.tokens" in _modules_loaded("from cnncount.layers import ClassToken")


def test_the_command_line_loads_what_its_command_asks_for() -> None:
    """``cnncount vgg16`` imports the VGG family alone, and no view's module."""
    loaded = _modules_loaded("from cnncount.cli import run; run(['vgg16'])")
    families = {name for name in loaded if name.startswith("cnncount.models.")}
    assert families == {"cnncount.models.vgg"}, families
    views = {f"cnncount.{name}" for name in ("memory", "conventions", "receptive", "roofline")}
    assert loaded.isdisjoint(views), loaded & views
    asked = _modules_loaded(
        "from cnncount.cli import run; run(['vgg16', '--roofline', 'h100-sxm'])"
    )
    assert "cnncount.roofline" in asked and "cnncount.memory" not in asked


def test_every_name_of_the_layer_table_is_the_class_its_module_defines() -> None:
    from cnncount.layers import LAYERS

    for name, module in LAYERS.items():
        value = getattr(importlib.import_module(f"cnncount.layers.{module}"), name)
        assert value.__module__ == f"cnncount.layers.{module}", name
        assert getattr(cnncount.layers, name) is value and getattr(cnncount, name) is value


OFF_THE_API_PAGE = (
    "cnncount.__main__",
    "cnncount.readers.onnx",
    "cnncount.readers.torch",
    "cnncount.readers.flow",
)
"""Modules that the API reference leaves to the README, by name prefix: the ONNX and PyTorch
readers (and the flows the PyTorch reader traces), whose examples need onnx or torch, which the
browser's Python that runs the page's examples lacks."""


def test_the_api_reference_documents_every_other_module() -> None:
    api = (Path(__file__).parents[1] / "book" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\.\. automodule:: (\S+)$", api, re.MULTILINE))
    found = list(pkgutil.walk_packages(cnncount.__path__, "cnncount."))
    modules = {info.name for info in found if not info.ispkg}  # a package's page is optional
    assert documented <= {info.name for info in found}
    assert documented >= {name for name in modules if not name.startswith(OFF_THE_API_PAGE)}
