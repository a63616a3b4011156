from django import template

from boai.audit.labels import action_label, reason_label

register = template.Library()
register.filter("action_label", action_label)
register.filter("reason_label", reason_label)
