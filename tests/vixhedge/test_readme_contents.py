"""README.md's contents list names every top-level section, in order, with the anchor GitHub gives its heading
(lower case; punctuation other than '-' and '_' dropped; each space a '-')."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_the_contents_list_links_every_section_in_order() -> None:
    body = README.split("\n## ", 1)[1]
    headings = [ln[3:] for ln in ("## " + body).splitlines() if ln.startswith("## ")]
    contents = README.split("\n**Contents**\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [re.match(r"\* \[(.*)\]\(#(.*)\)", ln).groups() for ln in contents] == [(h, anchor(h)) for h in headings]
