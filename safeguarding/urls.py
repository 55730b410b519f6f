from django.urls import path

from safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("raise/", views.raise_concern, name="raise"),
    path("concerns/", views.concern_list, name="list"),
    path("concerns/<id:pk>/", views.concern_detail, name="detail"),
    path("concerns/<id:pk>/<slug:step>/", views.concern_update, name="update"),
]
