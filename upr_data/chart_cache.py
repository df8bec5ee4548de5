"""Chart specs built once per input, not on every rerun.

Under load a warm rerun of the Overview spent about half its time in Altair: building the layered
charts (deep copies of schema objects) and validating the finished spec against Vega-Lite's JSON
schema, under a lock Streamlit holds for all sessions while it converts a chart. The same filters
give the same query results, so `memo` keeps each builder's chart per (inputs, language), and
`spec` keeps each chart's Vega-Lite spec (validated once, when first made). Both are bounded."""

from __future__ import annotations

import functools
import hashlib
import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd

from . import i18n

MAX_CHARTS = 512
_charts: OrderedDict[tuple, Any] = OrderedDict()
# id(chart) -> (a weak reference to the chart, its spec); a chart is unhashable (it defines ==)
_specs: dict[int, tuple[weakref.ref, dict]] = {}
_lock = threading.Lock()


def _key(value: Any) -> Any:
    """A hashable stand-in for an argument (a DataFrame by its content)."""
    if isinstance(value, pd.DataFrame):
        digest = hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=16).hexdigest()
        return ("frame", digest)
    if isinstance(value, list | tuple):
        return tuple(_key(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _key(v)) for k, v in value.items()))
    return value


def memo(builder: Callable) -> Callable:
    """`builder`'s chart, made once per (arguments, interface language)."""

    @functools.wraps(builder)
    def cached(*args, **kwargs):
        key = (
            builder.__qualname__,
            i18n.current_locale(),
            _key(args),
            _key(kwargs),
        )
        with _lock:
            if key in _charts:
                _charts.move_to_end(key)
                return _charts[key]
        chart = builder(*args, **kwargs)
        with _lock:
            _charts[key] = chart
            while len(_charts) > MAX_CHARTS:
                _charts.popitem(last=False)
        return chart

    cached.uncached = builder  # type: ignore[attr-defined]
    return cached


def spec(chart) -> dict:
    """The chart's Vega-Lite spec (data inline), validated the first time it is asked for."""
    key = id(chart)
    with _lock:
        held = _specs.get(key)
    if held is not None and held[0]() is chart:
        return held[1]
    found = chart.to_dict()
    with _lock:
        _specs[key] = (weakref.ref(chart, lambda _ref, key=key: _specs.pop(key, None)), found)
    return found


class Prepared:
    """A finished Vega-Lite spec where an Altair chart is expected (`to_dict`, as `spec` and the
    PNG/SVG export call it): for data Altair would be slow to validate and convert, added to the
    spec once it is made. Treat the spec as read-only; `to_dict` gives a shallow copy."""

    def __init__(self, spec: dict) -> None:
        self._spec = spec

    def to_dict(self) -> dict:
        return dict(self._spec)
