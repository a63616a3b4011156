"""The figures the centre publishes every year, by the names the annual API gives them. Each name is
one figure declared by the app that owns its data (``core.figures``); nothing is counted here."""

# (API name, figure code)
PUBLISHED = (
    ("registrations", "registry.registrations"),
    ("organ_donations", "cases.organ_donations"),
    ("organ_beneficiaries", "cases.beneficiaries"),
    ("body_donations", "cases.body_donations"),
    ("coordinators_national_training", "coordinators.national_training"),
    ("coordinators_newly_qualified", "coordinators.newly_qualified"),
    ("coordinators_excellent", "coordinators.excellent"),
    ("outreach_events", "outreach.events"),
    ("families_visited_households", "care.families_visited_households"),
    ("families_visited_person_visits", "care.families_visited_person_visits"),
    ("memorial_sites_new", "memorials.memorial_sites_new"),
    ("memorial_events", "memorials.memorial_events"),
    ("memorial_participants", "memorials.memorial_participants"),
)
