from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of results for HTML tables; a bad page number shows the nearest page instead of failing."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
