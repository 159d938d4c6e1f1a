"""Which model class sits at a key path, and the keys it allows (for "did you mean" hints)."""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, RootModel

from kiosk.content.model import Exhibition


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _members(tp: Any) -> list[Any]:
    tp = _unwrap(tp)
    if get_origin(tp) in (Union, types.UnionType):
        return [_unwrap(a) for a in get_args(tp) if a is not type(None)]
    return [tp]


def _tag_of(model: type[BaseModel]) -> Any:
    info = model.model_fields.get("type")
    if info is None:
        return None
    ann = _unwrap(info.annotation)
    if get_origin(ann) is Literal:
        return get_args(ann)[0]
    return None


def _step(tp: Any, item: Any) -> tuple[Any, bool]:
    """The type one `loc` item further down, and whether the item was consumed as a tag."""
    members = _members(tp)
    if len(members) > 1:
        for m in members:
            if isinstance(m, type) and issubclass(m, BaseModel) and _tag_of(m) == item:
                return m, True
    for m in members:
        if isinstance(m, type) and issubclass(m, RootModel):
            return _step(m.model_fields["root"].annotation, item)
        if isinstance(m, type) and issubclass(m, BaseModel):
            for name, info in m.model_fields.items():
                if item in (name, info.alias):
                    return info.annotation, False
            continue
        origin = get_origin(m)
        args = get_args(m)
        if origin in (list, typing.List) and isinstance(item, int):  # noqa: UP006
            return args[0], False
        if origin is tuple and isinstance(item, int) and args:
            if len(args) == 2 and args[1] is Ellipsis:
                return args[0], False
            if 0 <= item < len(args):
                return args[item], False
        if origin is dict and args:
            return args[1], False
    return None, False


def step(tp: Any, item: Any, screen_type: Any = None) -> Any:
    """The type of the value under key or index `item` of a `tp` value (None when unknown).

    `screen_type` is the `type:` written in that mapping, which picks the member of a tagged union.
    """
    if screen_type is not None and len(_members(tp)) > 1:
        picked, was_tag = _step(tp, screen_type)
        if was_tag:
            tp = picked
    found, was_tag = _step(tp, item)
    return None if was_tag else found


def numeric(tp: Any) -> bool:
    """True for an int or float field (bool excluded), as declared in the model."""
    return any(m in (int, float) for m in _members(tp))


def model_at(loc: tuple | list) -> type[BaseModel] | None:
    """The model class of the mapping that `loc` names (Exhibition for `()`), or None."""
    tp: Any = Exhibition
    for item in loc:
        if tp is None:
            return None
        tp, _ = _step(tp, item)
    for m in _members(tp) if tp is not None else []:
        if isinstance(m, type) and issubclass(m, BaseModel) and not issubclass(m, RootModel):
            return m
    return None


def allowed_keys(model: type[BaseModel]) -> list[str]:
    """The keys an operator may write in a mapping of this model (aliases where there are)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def without_tags(loc: tuple | list) -> list[Any]:
    """`loc` with pydantic's union tags (the screen `type`) taken out."""
    tp: Any = Exhibition
    out: list[Any] = []
    for item in loc:
        if tp is None:
            out.append(item)
            continue
        tp, was_tag = _step(tp, item)
        if not was_tag:
            out.append(item)
    return out


def dotted(loc: tuple | list) -> str:
    """`screens[3].figures[0].label`, the way an operator finds a key in the file."""
    text = ""
    for item in loc:
        if isinstance(item, int) and not isinstance(item, bool):
            text += f"[{item}]"
        elif item == "[key]":
            continue
        else:
            text += ("." if text else "") + str(item)
    return text
