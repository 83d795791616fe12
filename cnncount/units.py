"""Numbers for people: rounded counts, and bytes in decimal (MB = 10^6) or binary (MiB = 2^20) units.

One table, :data:`BYTE_UNITS`, holds every unit; the decimal prefixes also name the suffixes of
rounded counts (K, M, G, T), as the CS231n notes write them.
"""

from __future__ import annotations

from cnncount.errors import CnncountError

__all__ = ["BYTE_UNITS", "format_bytes", "parse_bytes", "round_significant", "short_count"]

BYTE_UNITS = {
    "B": 1,
    "kB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KiB": 2**10,
    "MiB": 2**20,
    "GiB": 2**30,
    "TiB": 2**40,
}
"""Every byte unit cnncount reads or writes, decimal (powers of 1000) and binary (powers of 1024)."""

_DECIMAL = tuple((scale, unit) for unit, scale in BYTE_UNITS.items() if "i" not in unit)[::-1]
_BINARY = tuple((scale, unit) for unit, scale in BYTE_UNITS.items() if "i" in unit or unit == "B")[
    ::-1
]
_COUNT_SUFFIXES = tuple((scale, unit[0].upper()) for scale, unit in _DECIMAL if scale > 1)
_LOWERCASE_UNITS = {unit.lower(): scale for unit, scale in BYTE_UNITS.items()}


def round_significant(number: int, digits: int) -> int:
    """Return ``number`` rounded half up to ``digits`` significant digits, exactly.

    Examples:
        >>> round_significant(3211264, 2), round_significant(150528, 2), round_significant(999600, 2)
        (3200000, 150000, 1000000)
        >>> round_significant(4096, 4)
        4096
    """
    if number < 10**digits:
        return number
    step: int = 10 ** (len(str(number)) - digits)
    return (number + step // 2) // step * step


def short_count(number: int, digits: int = 2) -> str:
    """Return ``number`` to ``digits`` significant digits with a K, M, G or T suffix (powers of 1000).

    This is how the CS231n notes write their memory column.

    Examples:
        >>> short_count(3211264), short_count(150528), short_count(25088), short_count(802816)
        ('3.2M', '150K', '25K', '800K')
        >>> short_count(138357544, 3), short_count(15470264320, 3), short_count(999, 3)
        ('138M', '15.5G', '999')
    """
    rounded = round_significant(number, digits)
    for scale, suffix in _COUNT_SUFFIXES:
        if rounded >= scale:
            whole, fraction = divmod(rounded, scale)
            decimals = str(fraction).rjust(len(str(scale)) - 1, "0").rstrip("0")
            return f"{whole}.{decimals}{suffix}" if decimals else f"{whole}{suffix}"
    return str(rounded)


def format_bytes(count: int, binary: bool = False) -> str:
    """Return a byte count to three digits in decimal units (kB, MB, GB), or binary ones (KiB, MiB, GiB).

    Examples:
        >>> format_bytes(60950432), format_bytes(553430176), format_bytes(512)
        ('61.0 MB', '553 MB', '512 B')
        >>> format_bytes(60950432, binary=True), format_bytes(16 * 2**30, binary=True)
        ('58.1 MiB', '16.0 GiB')
    """
    scale, unit = next(
        (scale, unit)
        for scale, unit in (_BINARY if binary else _DECIMAL)
        if count >= scale or scale == 1
    )
    if scale == 1:
        return f"{count} {unit}"
    value = count / scale
    decimals = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:.{decimals}f} {unit}"


def parse_bytes(text: str) -> int:
    """Read a size in bytes: a number and a unit, decimal (kB, MB, GB, TB) or binary (KiB, MiB, GiB, TiB).

    Examples:
        >>> parse_bytes("16GiB"), parse_bytes("16 GB"), parse_bytes("1.5MiB"), parse_bytes("512")
        (17179869184, 16000000000, 1572864, 512)
        >>> parse_bytes("16 GiBs")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: size '16 GiBs': expected a number and a unit such as 16GiB or 500MB
    """
    number = text.strip().rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    unit = text.strip()[len(number) :].lower() or "b"
    try:
        value = float(number) if number.strip() else -1.0
    except ValueError:
        value = -1.0
    scale = _LOWERCASE_UNITS.get(unit, 0)
    if not 1 <= value * scale < float("inf"):
        msg = f"size {text!r}: expected a number and a unit such as 16GiB or 500MB"
        raise CnncountError(msg)
    return int(value * scale)
