from django.urls import path

from education import views

app_name = "education"
urlpatterns = [
    path("", views.article_list, name="article_list"),
]
