from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "pandu.jobs"
    label = "jobs"
