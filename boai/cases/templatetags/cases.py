from django import template

register = template.Library()


@register.filter
def field(form, name):
    """``form|field:"name"``: the bound field, for forms that lay their fields out in groups."""
    return form[name]
