from .views import campaigns, collect, events, fundraising, media

app_name = "outreach"
urlpatterns = (
    events.urlpatterns + campaigns.urlpatterns + collect.urlpatterns + media.urlpatterns + fundraising.urlpatterns
)
