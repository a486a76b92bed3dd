from django.apps import AppConfig


class Config(AppConfig):
    name = "peerprinciples.web.transfers"
    label = "transfers"
    verbose_name = "Imports and exports"
