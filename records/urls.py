from django.urls import path

from records import queue

app_name = "records"

urlpatterns = [
    path("", queue.review_queue, name="review_queue"),
    path("bulk/", queue.review_queue_bulk, name="review_queue_bulk"),
    path("count/", queue.review_queue_count, name="review_queue_count"),
]
