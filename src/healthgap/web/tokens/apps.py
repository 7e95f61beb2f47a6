from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "healthgap.web.tokens"
    label = "tokens"
    verbose_name = "API tokens"
