from django.urls import path

from notifikasi import views

app_name = "notifikasi"

urlpatterns = [
    path("twilio/status/", views.twilio_status, name="twilio-status"),
    path("twilio/masuk/", views.twilio_masuk, name="twilio-masuk"),
]
