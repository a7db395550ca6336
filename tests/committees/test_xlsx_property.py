"""Whatever text a user typed, an exported workbook opens and no cell is a formula
(property test: Hypothesis generates the text)."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from committees.platform.xlsx import FORMULA_STARTS, sheets_bytes

texts = st.text(max_size=40) | st.builds(
    lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), st.text(max_size=20)
)


@settings(max_examples=200, deadline=None)
@given(header=texts, cells=st.lists(texts, min_size=1, max_size=4))
def test_no_exported_text_is_ever_a_formula(header, cells):
    book = load_workbook(io.BytesIO(sheets_bytes([("Sheet", [header], [cells])])))
    for row in book.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_STARTS)
