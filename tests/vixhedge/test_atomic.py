import pytest

from vixhedge.atomic import atomic_folder


def test_failed_write_leaves_the_previous_folder_intact(tmp_path):
    with atomic_folder(tmp_path, "run") as d:
        (d / "a.txt").write_text("first")
    with pytest.raises(RuntimeError):
        with atomic_folder(tmp_path, "run") as d:
            (d / "a.txt").write_text("half")
            raise RuntimeError("crash mid-write")
    assert (tmp_path / "run" / "a.txt").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no temporary folder left behind
