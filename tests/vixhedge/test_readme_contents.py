"""README.md's contents list names every top-level section, in order, with the anchor GitHub gives its heading
(lower case; punctuation other than '-' and '_' dropped; each space a '-'); its indented items link subsections
(a trial found "From Python" unreachable from the list) that exist under the section above them."""

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
    top = [ln for ln in contents if ln.startswith("* ")]
    assert [re.match(r"\* \[(.*)\]\(#(.*)\)", ln).groups() for ln in top] == [(h, anchor(h)) for h in headings]
    section = ""
    for ln in contents:
        if ln.startswith("* "):
            section = re.match(r"\* \[(.*)\]", ln).group(1)
            continue
        title, link = re.match(r"  \* \[(.*)\]\(#(.*)\)", ln).groups()
        assert link == anchor(title)
        assert f"\n### {title}\n" in README.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0], title
