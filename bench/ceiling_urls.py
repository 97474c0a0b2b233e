"""The URLs of ``python -m bench.ceiling``: the site's own, behind two views that do nothing.

Nothing here is served by the site: only the ceiling's process uses this module as its
``ROOT_URLCONF``. The two views are first in the list, so their URL resolution is the
shortest there is: what they cost is a lower bound of any page's or API call's.
"""

from django.http import HttpResponse
from django.urls import include, path
from ninja import NinjaAPI

from cabas.api.auth import TokenAuth


def empty_page(request):
    """What every page needs before its own work: the session, the person, the middleware."""
    return HttpResponse(
        b"member" if request.user.is_authenticated else b"anonymous", content_type="text/plain"
    )


api = NinjaAPI(urls_namespace="bench_ceiling", auth=TokenAuth(), docs_url=None)


@api.get("/empty")
def empty_call(request):
    """What every API call needs before its own work: the token checked, a JSON answer."""
    return {"ok": True}


urlpatterns = [
    path("bench-ceiling/page/", empty_page),
    path("bench-ceiling/api/", api.urls),
    path("", include("config.urls")),
]
