from django.apps import AppConfig


class Config(AppConfig):
    name = "peerprinciples.web.coproduction"
    label = "coproduction"
    verbose_name = "Co-production"
