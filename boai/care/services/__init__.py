"""Every write of the family care app, by area:

- ``families``: the family record, its members, wishes and protected contacts; the case-closed hook;
- ``followups``: the follow-up plan (after the donation, Qingming, the Winter Solstice), the work list,
  contacts and visits, the outcome letter;
- ``payments``: applications, reviews level by level, payment, reversal, budgets;
- ``ledger``: the public, anonymised ledger of payments made and its check against the audit chain."""
