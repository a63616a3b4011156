from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import QuerySet

PAGE_SIZE = 25


def total_order(qs) -> bool:
    """Whether ``qs`` is a plain queryset ordered down to one row (its last ordering field is unique), so
    that the same rows read in the reverse order are the same rows, reversed."""
    if not isinstance(qs, QuerySet) or qs.query.combinator or qs.query.distinct or qs.query.is_sliced:
        return False
    ordering = qs.query.order_by or (qs.model._meta.ordering if qs.query.default_ordering else ())
    if not ordering or not isinstance(ordering[-1], str) or "__" in ordering[-1]:
        return False
    name = ordering[-1].lstrip("-")
    try:
        field = qs.model._meta.pk if name == "pk" else qs.model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.primary_key or field.unique


class EndPaginator(Paginator):
    """A ``Paginator`` that reads a page in the second half from the end: the ordering reversed, an
    OFFSET counted from the last row, then the rows put back in order. The rows are exactly the same
    (the ordering is total), but the database skips ``count - page end`` rows instead of ``page start``:
    the last page costs what the first does."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.count - top < bottom and total_order(self.object_list):
            rows = list(self.object_list.reverse()[self.count - top : self.count - bottom])
            return self._get_page(rows[::-1], number, self)
        return self._get_page(self.object_list[bottom:top], number, self)


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None):
    """A page of results for HTML tables; a bad page number shows the nearest page instead of failing.
    ``count``: the number of rows when the caller knows it exactly (otherwise the queryset counts them)."""
    paginator = EndPaginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property: this is its value
    return paginator.get_page(request.GET.get("page"))
