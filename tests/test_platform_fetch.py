"""Reading a member site over HTTP: one slow file is bounded by the per-request timeout, a member
that is slow on every file (or trickles its bytes) by the member's total budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.platform.fetch import FetchFailed, _Source
from generator.platform.members import MemberSpec
from tests.serving import serve


@pytest.fixture
def member_files(tmp_path: Path) -> Path:
    for i in range(6):
        (tmp_path / f"f{i}.txt").write_bytes(b"x" * 1000)
    return tmp_path


def test_a_member_slow_on_every_file_is_given_up_after_its_budget(member_files: Path) -> None:
    with serve(member_files, "/", slow={".txt": 0.4}) as url:
        src = _Source(MemberSpec("某旗财政局", "旗县", "150102", url), timeout=5, budget=1.0)
        assert src.get("f0.txt") == b"x" * 1000  # each file alone is well within its own timeout
        with pytest.raises(FetchFailed) as exc:
            for i in range(1, 6):
                src.get(f"f{i}.txt")
    message = str(exc.value)
    assert "超过 1 秒仍未完成" in message and url in message and "本次不更新该站点" in message


def test_a_quick_member_is_read_whole(member_files: Path) -> None:
    with serve(member_files, "/") as url:
        src = _Source(MemberSpec("某旗财政局", "旗县", "150102", url), timeout=5, budget=30)
        assert [len(src.get(f"f{i}.txt")) for i in range(6)] == [1000] * 6
