from django import template

from boai.audit.labels import action_label

register = template.Library()
register.filter("action_label", action_label)
