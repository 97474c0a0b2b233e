"""Placeholder: the deliverability helper writes these pages."""

from django.http import Http404


def unsubscribe(request, token):
    raise Http404


def preferences(request, slug):
    raise Http404
