"""Numbers for people: rounded counts, and bytes in decimal (MB = 10^6) or binary (MiB = 2^20) units."""

from __future__ import annotations

from cnncount.errors import CnncountError

__all__ = [
    "BYTES_PER_VALUE",
    "binary_bytes",
    "decimal_bytes",
    "parse_bytes",
    "round_significant",
    "short_count",
]

BYTES_PER_VALUE = {"float32": 4, "float16": 2, "bfloat16": 2, "int8": 1}
"""The size of one value of each data type the memory figures are given in."""

_DECIMAL_SUFFIXES = ((10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "K"))
_DECIMAL_BYTES = ((10**12, "TB"), (10**9, "GB"), (10**6, "MB"), (10**3, "kB"), (1, "B"))
_BINARY_BYTES = ((2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB"), (1, "B"))
_BYTE_UNITS = {unit.lower(): scale for scale, unit in _DECIMAL_BYTES + _BINARY_BYTES}


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
    for scale, suffix in _DECIMAL_SUFFIXES:
        if rounded >= scale:
            whole, fraction = divmod(rounded, scale)
            decimals = str(fraction).rjust(len(str(scale)) - 1, "0").rstrip("0")
            return f"{whole}.{decimals}{suffix}" if decimals else f"{whole}{suffix}"
    return str(rounded)


def decimal_bytes(count: int) -> str:
    """Return a byte count in decimal units (kB, MB, GB: powers of 1000) to three digits.

    Examples:
        >>> decimal_bytes(60950432), decimal_bytes(553430176), decimal_bytes(512)
        ('61.0 MB', '553 MB', '512 B')
    """
    return _scaled(count, _DECIMAL_BYTES)


def binary_bytes(count: int) -> str:
    """Return a byte count in binary units (KiB, MiB, GiB: powers of 1024) to three digits.

    Examples:
        >>> binary_bytes(60950432), binary_bytes(553430176), binary_bytes(16 * 2**30)
        ('58.1 MiB', '528 MiB', '16.0 GiB')
    """
    return _scaled(count, _BINARY_BYTES)


def _scaled(count: int, units: tuple[tuple[int, str], ...]) -> str:
    scale, unit = next((scale, unit) for scale, unit in units if count >= scale or scale == 1)
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
    if unit not in _BYTE_UNITS or not 1 <= value * _BYTE_UNITS.get(unit, 0) < float("inf"):
        msg = f"size {text!r}: expected a number and a unit such as 16GiB or 500MB"
        raise CnncountError(msg)
    return int(value * _BYTE_UNITS[unit])
