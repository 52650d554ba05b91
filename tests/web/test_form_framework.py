"""Every form of the web face is read by Django's forms: no module in ``vigil/web`` reads a
posted field by hand (``request.POST.get``, ``request.POST[...]``, ``getlist``). Derived from
the source, so a new module is covered without editing the test. The one exception is where to
go after signing in (``next``), an address read as Django's own ``LoginView`` reads it."""

from __future__ import annotations

import ast
from pathlib import Path

import vigil.web

WEB = Path(vigil.web.__file__).parent
REDIRECT = "next"


def _is_post(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in {"POST", "FILES"}


def by_hand(tree: ast.AST) -> list[int]:
    """The lines where a posted field is read other than by handing the data to a form."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_post(node.value):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            on_post = _is_post(node.func.value)
            if node.func.attr == "getlist" or (on_post and node.func.attr != "copy"):
                name = node.args[0] if node.args else None
                if not (isinstance(name, ast.Constant) and name.value == REDIRECT):
                    lines.append(node.lineno)
    return lines


def test_no_module_of_the_web_face_reads_posted_fields_by_hand():
    found = {
        str(path.relative_to(WEB)): lines
        for path in sorted(WEB.rglob("*.py"))
        if (lines := by_hand(ast.parse(path.read_text())))
    }
    assert found == {}


def test_the_check_finds_a_field_read_by_hand():
    source = (
        "def view(request):\n"
        "    kind = request.POST.get('devices.0.kind')\n"
        "    roles = request.POST.getlist('roles')\n"
        "    version = request.POST['version']\n"
        "    form = Form(request.POST)\n"
    )
    assert by_hand(ast.parse(source)) == [2, 3, 4]
