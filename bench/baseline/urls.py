from django.urls import path

from bench.baseline import views

urlpatterns = [
    path("items/new/", views.item_new, name="item_new"),
    path("items/", views.item_list, name="item_list"),
]
