from django import template

from boai.lib import masking

register = template.Library()
register.filter("mask_id", masking.mask_id_number)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_name", masking.mask_name)
register.filter("mask_text", masking.mask_text)
register.filter("mask_birth", masking.mask_birth_date)
