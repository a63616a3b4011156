"""``{% load staff %}``: ``{{ step.actor|who }}`` names who did something the way colleagues know them
(the person's name and their unit, or "协调员" for a coordinator), never by account username, which is
for the audit pages and the account administrators only."""

from django import template

from boai.accounts.selectors import actor_label

register = template.Library()


@register.filter
def who(actor) -> str:
    return actor_label(actor)
