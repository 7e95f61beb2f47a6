from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "healthgap.web.voice"
    label = "voice"
    verbose_name = "Community voice"
