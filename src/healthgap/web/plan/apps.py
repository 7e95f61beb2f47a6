from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "healthgap.web.plan"
    label = "plan"
    verbose_name = "Action plan"
