from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "healthgap.web.audit"
    label = "audit"
    verbose_name = "Audit trail"
