"""Small wording helpers shared by commands and pages."""


def counted(n: int, one: str, many: str | None = None) -> str:
    """Write a count with its noun: 1 award, 2 awards, 0 refused events."""
    return f"{n} {one if n == 1 else many or one + 's'}"
