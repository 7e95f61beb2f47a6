"""``/api/``: the API's URLs, exempt from the app's login redirect.

``LoginRequiredMiddleware`` would send an anonymous request to the login page (302);
a script needs a 401 instead, which the API's own authentication gives. The OpenAPI
document is public: it describes the contract and holds no data.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required

from healthgap.web.api.api import api

app_name = api.urls_namespace  # ninja reverses "api:api-root" to find its own prefix
urlpatterns = api.urls[0]
for _pattern in urlpatterns:
    login_not_required(_pattern.callback)
