"""MUT41 probes: entry.stdlib_shadow, __main__'s and guard's use of it, plugins._stdlib_taken (commits bdf80911,
a9f32fe9; trial FUZZ40 M5). test_fuzz40_b covers selectors.py (a module, imported whole) and os.py only."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.vixhedge.test_fuzz40_b import ROOT, WINDOW


def _run(tmp_path, files: dict[str, str], plugin: str | None, in_cwd: bool = True, debug: bool = False):
    plug, cwd = tmp_path / "plug", tmp_path / "cwd"
    for folder in (plug, cwd):
        folder.mkdir(exist_ok=True)
    for name, text in files.items():
        path = (cwd if in_cwd else plug) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = {k: v for k, v in os.environ.items() if k != "VIXHEDGE_DEBUG"}
    env["PYTHONPATH"] = str(ROOT) if in_cwd else f"{ROOT}{os.pathsep}{plug}"
    env.update({"VIXHEDGE_DEBUG": "1"} if debug else {})
    extra = ["--set", f"condor.selector={plugin}"] if plugin else []
    return subprocess.run([sys.executable, "-m", "vixhedge", "run", "-q", "--runs-dir", str(tmp_path / "runs"),
                           *WINDOW, *extra], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_a_numbers_py_the_cli_imports_is_one_line(tmp_path):
    """Kills MUT41 E6 (__main__.py: the stdlib_shadow branch around ``from vixhedge.cli import main`` always
    re-raises). Trial FUZZ40 M5's random.py (a 23-line traceback) cannot be staged here: this interpreter (pyenv
    3.11.7) imports random at start-up. numbers is one `import vixhedge.cli` loads (sys.modules before and after),
    so an empty numbers.py in the working folder fails that import, before guard() runs."""
    done = _run(tmp_path, {"numbers.py": "x = 1\n"}, None)
    err = done.stderr.strip()
    assert done.returncode == 2 and len(err.splitlines()) == 1, err
    assert err.startswith(f"vixhedge: the module {tmp_path / 'cwd' / 'numbers.py'} hides the standard library's "
                          "'numbers' ("), err


def test_a_stdlib_named_module_that_raises_on_import_is_named_from_the_traceback(tmp_path):
    """Kills MUT41 E2 (entry.py: the walk of ``exc.__traceback__`` dropped): a numbers.py that raises while imported
    (as above) is not in sys.modules (a failed import is removed), only in the traceback (stdlib_shadow's docstring:
    'or raised while importing (a file in exc's traceback)')."""
    done = _run(tmp_path, {"numbers.py": "raise RuntimeError('mine')\n"}, None)
    err = done.stderr.strip()
    assert done.returncode == 2 and len(err.splitlines()) == 1, err
    assert f"the module {tmp_path / 'cwd' / 'numbers.py'} hides the standard library's 'numbers'" in err, err


def test_a_stdlib_named_package_is_named_as_a_folder(tmp_path):
    """Kills MUT41 E3 (entry.py ``package = basename == '__init__.py'`` -> False): a selectors/ package on
    PYTHONPATH is 'the folder .../selectors' (stdlib_shadow's ``kind``), as the module selectors.py is in
    test_fuzz40_b."""
    done = _run(tmp_path, {"selectors/__init__.py": "def pick(choice, cfg):\n    return None\n"},
                "selectors:pick", in_cwd=False)
    err = done.stderr.strip()
    assert done.returncode == 2 and len(err.splitlines()) == 1, err
    assert err.startswith(f"vixhedge: the folder {tmp_path / 'plug' / 'selectors'} hides the standard library's "
                          "'selectors' ("), err


def test_vixhedge_debug_gives_the_traceback(tmp_path):
    """Kills MUT41 G1 (guard.py ``if shadow and not VIXHEDGE_DEBUG`` -> ``if shadow``): with VIXHEDGE_DEBUG=1 the
    internal error is raised (guard.py: 'if os.environ.get("VIXHEDGE_DEBUG"): raise'), the traceback printed, not
    the one line. The case is test_fuzz40_b's selectors.py on PYTHONPATH."""
    done = _run(tmp_path, {"selectors.py": "def pick(choice, cfg):\n    return None\n"}, "selectors:pick",
                in_cwd=False, debug=True)
    assert done.returncode != 2 and "Traceback (most recent call last)" in done.stderr, done.stderr


def test_a_traceback_file_not_named_like_the_stdlib_is_not_named(tmp_path, monkeypatch):
    """Kills MUT41 E4 (entry.py: the ``entry.removesuffix('.py') not in names`` clause dropped): a module ahead of
    the standard library that raised, but whose name is no standard-library module's, is none of stdlib_shadow's
    business (its docstring: 'named like a standard-library module')."""
    from vixhedge import entry

    (tmp_path / "mut41_not_std.py").write_text("raise RuntimeError('x')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        import mut41_not_std  # noqa: F401
    except RuntimeError as exc:
        assert entry.stdlib_shadow("vixhedge", exc) is None
    else:
        raise AssertionError("the module raised nothing")


def test_a_stdlib_plugin_name_without_a_user_file_says_nothing_of_one(tmp_path):
    """Kills MUT41 T1 (plugins.py _stdlib_taken: ``realpath(path) != loaded`` dropped): 'json:pick' with no json
    anywhere but the standard library's must not say the standard library's own json/__init__.py 'is never
    imported' (_stdlib_taken's docstring: '"" where no such file is')."""
    done = _run(tmp_path, {}, "json:pick")
    assert done.returncode == 2 and "is never imported" not in done.stderr, done.stderr


def test_a_stdlib_named_package_plugin_python_imported_first_says_so(tmp_path):
    """Kills MUT41 T3 (plugins.py _stdlib_taken: the ``NAME/__init__.py`` candidate dropped): an os/ package in the
    working folder is never imported (Python's start imports os), as test_fuzz40_b's os.py."""
    done = _run(tmp_path, {"os/__init__.py": "def pick(choice, cfg):\n    return None\n"}, "os:pick")
    assert done.returncode == 2, done.stderr
    assert f"the module {tmp_path / 'cwd' / 'os' / '__init__.py'} is never imported" in done.stderr, done.stderr
