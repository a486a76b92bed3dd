from django.apps import AppConfig


class Config(AppConfig):
    name = "peerprinciples.web.practice"
    label = "practice"
    verbose_name = "Principles into practice"
