"""``field__any=[…]``: the rows whose field is one of thousands of values, for the set-based jobs and imports.

On PostgreSQL it is written ``field = ANY(%s)`` with the values as one array parameter: the query costs one
parameter, not the thousands of placeholders that ``__in`` builds, sends and has the server parse (a chunk of 5,000
case ids took the case import more time to write down than to run). Elsewhere it is ``__in``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _AsArray(In):
    lookup_name = "any"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Sequence[Any]]:
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=True) for v in self.rhs if v is not None]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


@Field.register_lookup
class AnyOf(_AsArray):
    pass


@ForeignObject.register_lookup
class RelatedAnyOf(_AsArray, RelatedIn):
    """The same on a foreign key (``case_id__any``, ``case__any``): related fields keep lookups of their own."""
