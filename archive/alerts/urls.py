"""The readers' alerts pages."""

from django.urls import path

from archive.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("save-search/", views.save_search, name="save_search"),
    path("follow/<str:kind>/<int:pk>/", views.follow, name="follow"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/pause/", views.pause, name="pause"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/delete/", views.delete_account, name="delete_account"),
]
