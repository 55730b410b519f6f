from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.today, name="today"),
    path("profile/", views.profile, name="profile"),
    path("data/", views.my_data, name="my_data"),
    path("data/download/", views.my_data_download, name="my_data_download"),
    path("data/delete/", views.delete_account, name="delete_account"),
    path("people/", views.people, name="people"),
    path("people/<id:pk>/roles/", views.person_roles, name="person_roles"),
]
