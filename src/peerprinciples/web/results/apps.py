from django.apps import AppConfig
from django.db.models.signals import post_save


class Config(AppConfig):
    name = "peerprinciples.web.results"
    label = "results"

    def ready(self) -> None:
        from peerprinciples.web.results.signals import import_saved

        post_save.connect(
            import_saved, sender="transfers.ImportBatch", dispatch_uid="results.import_saved"
        )
