"""Collect the Python examples of the README and of the book's chapters as tests.

Only fences whose language is exactly ``python`` are run here; the chapters' ``{code-cell}``
cells are the build's business (and tests/test_chapters.py's).
"""

import importlib.util

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser as MarkdownPythonParser
from sybil.parsers.myst import PythonCodeBlockParser as MystPythonParser

readme = Sybil(parsers=[MarkdownPythonParser()], patterns=["README.md"], name="readme")
chapters = Sybil(parsers=[MystPythonParser()], patterns=["book/*.md"], name="chapters")

pytest_collect_file = (readme + chapters).pytest()

collect_ignore_glob = []
try:
    import onnx  # noqa: F401
except ImportError:  # the ONNX reader's modules, whose examples build graphs with onnx
    collect_ignore_glob.append("cnncount/readers/onnx*.py")
try:
    import torch  # noqa: F401
except ImportError:  # the PyTorch reader's modules, whose examples build modules with torch
    collect_ignore_glob.append("cnncount/readers/torch*.py")
try:
    import timm  # noqa: F401
except ImportError:  # the timm blocks' module, whose examples build timm's layers
    collect_ignore_glob.append("cnncount/readers/torch_timm.py")

# The chapter "Count your own network" keeps a student's models beside it, written for PyTorch and
# Keras: their modules import those, so they are collected only where those are installed.
collect_ignore = [
    path
    for path, package in (("book/tinycnn.py", "torch"), ("book/tinycnn_keras.py", "keras"))
    if importlib.util.find_spec(package) is None
]
