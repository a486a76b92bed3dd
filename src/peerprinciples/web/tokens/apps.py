from django.apps import AppConfig


class Config(AppConfig):
    name = "peerprinciples.web.tokens"
    label = "tokens"
