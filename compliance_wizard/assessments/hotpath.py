"""The two statements of every wizard step: read the draft by its token, save its answers.

Each step runs them in two requests (the post, and the page it redirects to). Through the ORM, building
and compiling the statement and setting up its row converters cost three to four times as much as
running it on SQLite, so here both are written once per process from the model's own fields, and values
pass through the same field and backend conversions the ORM applies. Everything else uses the ORM.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connection

from .models import Assessment

Converter = Callable[[Any, Any, Any], Any]


@functools.cache
def _select(vendor: str) -> tuple[str, list[str], list[tuple[int, list[Converter]]]]:
    """SELECT of every column by token, the attribute names in column order, and the converters per column."""
    fields = Assessment._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # Only the model's own quoted names are put into the text; the token is a parameter.
    sql = f"SELECT {columns} FROM {quote(Assessment._meta.db_table)} WHERE {quote('token')} = %s"  # noqa: S608
    converters = []
    for index, field in enumerate(fields):
        found = connection.ops.get_db_converters(field.cached_col) + field.get_db_converters(connection)
        if found:
            converters.append((index, found))
    return sql, [field.attname for field in fields], converters


def draft_by_token(token: str) -> Assessment | None:
    """The assessment behind a token (draft or finished), as Assessment.objects.filter(token=...).first()."""
    sql, names, converters = _select(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [token])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    fields = Assessment._meta.concrete_fields
    for index, functions in converters:
        value = values[index]
        for convert in functions:
            value = convert(value, fields[index].cached_col, connection)
        values[index] = value
    return Assessment.from_db(connection.alias, names, values)


@functools.cache
def _update(vendor: str) -> str:
    quote = connection.ops.quote_name
    table = quote(Assessment._meta.db_table)
    changes = ", ".join(f"{quote(name)} = %s" for name in ("answers", "current_step", "updated_at"))
    # As in _select: quoted names of the model, every value a parameter.
    return f"UPDATE {table} SET {changes} WHERE {quote('id')} = %s AND {quote('state')} = %s"  # noqa: S608


def update_draft(pk: int, answers: dict[str, str], current_step: str, updated_at: datetime) -> int:
    """Save a draft's answers and step unless it is no longer a draft; the number of rows changed (0 or 1)."""
    field = Assessment._meta.get_field
    params = [
        field("answers").get_db_prep_save(answers, connection),
        field("current_step").get_db_prep_save(current_step, connection),
        field("updated_at").get_db_prep_save(updated_at, connection),
        pk,
        Assessment.State.DRAFT.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_update(connection.vendor), params)
        return int(cursor.rowcount)
