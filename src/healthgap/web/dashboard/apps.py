from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "healthgap.web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
