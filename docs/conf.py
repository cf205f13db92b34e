"""Sphinx configuration: Markdown pages (MyST) plus an API reference generated from docstrings.

Built in the test suite with warnings as errors (tests/test_docs.py::test_sphinx_build).
"""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "zarr5"
author = "zarr5 developers"
copyright = "2026, zarr5 developers"  # noqa: A001 - Sphinx's name
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
master_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
autodoc_member_order = "bysource"
autodoc_typehints = "none"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]
