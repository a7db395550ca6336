"""A share in percent: computed from two counts, shown as a percentage."""


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` to one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


class Percent(float):
    """A share in percent: shown as "87,5%", exported as the number 87.5."""
