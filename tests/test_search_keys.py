"""Search keys (issue 19): numbers normalised as typed and as printed, each page's category keys
inside the indexed article, the vocabulary files, and nothing withheld among them."""

from __future__ import annotations

import gzip
import json
import re

from fixtures_site import MONITORING, MONITORING_PATH, make_site

from generator.build import build
from generator.site.search_keys import VOCAB_BUCKETS, number_token, number_tokens


def test_a_number_is_one_token_however_it_is_written() -> None:
    assert {number_token(t) for t in ("12,680.00", "12680", "12680.00", "12680.0", "012680")} == {"n12680n"}
    assert number_token("12,680.50") == number_token("12680.5") == "n12680p5n"
    assert number_token("0.50") == "n0p5n"
    # Thousands separators count only in groups of three; a list of numbers stays a list.
    assert number_tokens("资金12,680.00万元，执行率96.6%，2026年1–7月") == ["n12680n", "n96p6n", "n2026n", "n1n", "n7n"]
    assert number_tokens("3,2 与 1,2345") == ["n3n", "n2n", "n1n", "n2345n"]


def _body(page: str) -> str:
    start = page.index("data-pagefind-body")
    return page[start:page.index("</article>", start)]


def test_record_pages_carry_keys_and_the_index_a_vocabulary(tmp_path) -> None:
    withheld = MONITORING.replace("funds_unit: 万元", "funds_unit: 万元\nwithheld_fields: [spent_to_date]")
    root = make_site(tmp_path / "src", {MONITORING_PATH: withheld})
    out = tmp_path / "site"
    build(root, out)
    page = (out / "records" / "lcj-2026-mon-thlc" / "index.html").read_text(encoding="utf-8")
    keys = re.search(r'data-dc-keys="([^"]*)"', _body(page)).group(1).split()
    # Category, form, the kind's other names, every number the article shows (3,200 → n3200n).
    assert keys[:3] == ["dcsearchkeys", "绩效监控情况", "项目支出绩效目标监控情况表"]
    assert {"绩效监控", "监控情况", "n3200n", "n11p5n", "n2026n"} <= set(keys)
    assert "n1600n" not in keys  # withheld: not shown, so not keyed
    vocab = out / "pagefind" / "dc-vocab"
    files = sorted(vocab.iterdir())
    assert len(files) == VOCAB_BUCKETS
    words = {w for f in files for w in json.loads(f.read_text(encoding="utf-8"))}
    assert "监控" in words and not any(re.fullmatch(r"n\d+(p\d+)?n", w) for w in words)
    # Nothing withheld reaches the index through the keys either.
    for fragment in (out / "pagefind" / "fragment").iterdir():
        assert "n1600n" not in gzip.decompress(fragment.read_bytes()).decode("utf-8", "replace")
