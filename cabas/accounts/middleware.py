from django.utils import timezone, translation


class UserLanguageMiddleware:
    """A logged-in person sees the site in the language of their profile,
    unless they just chose one with the language switcher (session/cookie wins)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        user = getattr(request, "user", None)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if user is not None and user.is_authenticated and not chosen and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class SessionRefreshMiddleware:
    """A member stays logged in while they keep coming: their session (``SESSION_COOKIE_AGE``,
    weeks) starts again from the first page they open each day. Once a day, not on every
    page: a session write is three queries, and the pages themselves write nothing."""

    KEY = "refreshed_on"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.refresh(request)
        response = self.get_response(request)
        if request.session.modified:
            # A session written anyway (a login's above all) takes the day's refresh with it,
            # rather than being written again by the next page.
            self.refresh(request)
        return response

    @classmethod
    def refresh(cls, request) -> None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            today = timezone.localdate().isoformat()
            if request.session.get(cls.KEY) != today:
                request.session[cls.KEY] = today  # saved, with a new expiry, by the session
