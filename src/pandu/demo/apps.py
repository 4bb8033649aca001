from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pandu.demo"
    label = "demo"
