"""A minimal immutable record: slotted, compared, hashed and shown by its fields.

cnncount's values are written on this rather than on dataclasses because importing
``dataclasses`` costs more than the command line's whole budget over a bare interpreter.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without the 3 ms import of typing
if TYPE_CHECKING:
    from typing import TypeVar

    R = TypeVar("R", bound="Record")

__all__ = ["Record", "evolve"]

_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}
"""Each record class's field names in order, and as a set, worked out once per class."""


class Record:
    """Base class of immutable values whose fields are the names in ``__slots__``.

    Examples:
        >>> class Point(Record):
        ...     __slots__ = ("x", "y")
        >>> point = Point(x=1, y=2)
        >>> point, point == Point(x=1, y=2), point.as_dict()
        (Point(x=1, y=2), True, {'x': 1, 'y': 2})
        >>> point.x = 3
        Traceback (most recent call last):
        ...
        AttributeError: Point is immutable; cannot set 'x'
        >>> Point(x=1)
        Traceback (most recent call last):
        ...
        TypeError: Point takes fields x, y; got x
    """

    __slots__ = ()

    def __init__(self, **fields: object) -> None:
        names, known = _FIELDS.get(type(self)) or self._fields()
        if fields.keys() != known:
            msg = f"{type(self).__name__} takes fields {', '.join(names)}; got {', '.join(fields)}"
            raise TypeError(msg)
        self._set(**fields)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Return the names of the fields, base classes' first.

        Examples:
            >>> from cnncount.layers import MaxPool2d
            >>> MaxPool2d.field_names()
            ('kernel_size', 'stride', 'padding', 'ceil_mode')
        """
        return (_FIELDS.get(cls) or cls._fields())[0]

    @classmethod
    def _fields(cls) -> tuple[tuple[str, ...], frozenset[str]]:
        names = tuple(
            name for klass in reversed(cls.__mro__) for name in vars(klass).get("__slots__", ())
        )
        _FIELDS[cls] = (names, frozenset(names))
        return _FIELDS[cls]

    def as_dict(self) -> dict[str, object]:
        """Return the fields as a new dictionary, in order.

        Examples:
            >>> from cnncount.layers import LocalResponseNorm
            >>> LocalResponseNorm(5).as_dict()
            {'size': 5}
        """
        return {name: getattr(self, name) for name in self.field_names()}

    def _set(self, **fields: object) -> None:
        setter = object.__setattr__
        for name, value in fields.items():
            setter(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot set {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self.as_dict().values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.as_dict().items())
        return f"{type(self).__name__}({fields})"


def evolve(record: R, **changes: object) -> R:
    """Return a copy of ``record`` with the fields in ``changes`` replaced, as attrs' ``evolve`` does.

    The copy is made through the class's own constructor, so it is validated like any new value.

    Examples:
        >>> from cnncount.layers import Conv2d
        >>> evolve(Conv2d(64, 3, padding=1), stride=2)
        Conv2d(out_channels=64, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(1, 1), groups=1, bias=True)
        >>> evolve(Conv2d(64, 3), groups=3)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: output channels 64 not divisible by groups 3
    """
    return type(record)(**{**record.as_dict(), **changes})
