from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "healthgap.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"
