from .views import applications, people, practice, qualifications, training

app_name = "coordinators"
urlpatterns = (
    people.urlpatterns
    + applications.urlpatterns
    + training.urlpatterns
    + qualifications.urlpatterns
    + practice.urlpatterns
)
