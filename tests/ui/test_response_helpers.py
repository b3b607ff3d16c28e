"""Small text helpers of the response widgets: find positions, hex rows."""

from __future__ import annotations

from explorer.ui.response.findbar import find_matches
from explorer.ui.response.hexview import hex_row


def test_find_positions_count_utf16_units() -> None:
    assert find_matches("Ab ab AB", "ab") == [(0, 2), (3, 5), (6, 8)]
    assert find_matches("Ab ab AB", "ab", case=True) == [(3, 5)]
    # "😀" is two UTF-16 units in a QTextDocument.
    assert find_matches("😀 ab", "ab") == [(3, 5)]


def test_hex_rows() -> None:
    data = bytes(range(0x41, 0x41 + 20))
    assert hex_row(data, 0) == (
        "00000000",
        "41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50",
        "ABCDEFGHIJKLMNOP",
    )
    assert hex_row(data, 1) == ("00000010", "51 52 53 54", "QRST")
    assert hex_row(b"\x00\x7f\xff", 0)[2] == "..."
