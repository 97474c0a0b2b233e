"""The coordinators' messages (write, preview, send, follow) and the members' archive.
Thin: read the form, call ``services`` or ``selectors``, render."""

from __future__ import annotations

import mimetypes

from django.contrib import messages as flash
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.core.paging import page_of
from cabas.orgs.permissions import Action, can, org_view

from . import audiences, selectors, services
from .formatting import message_html
from .forms import MessageForm
from .models import Message

RECIPIENTS_PER_PAGE = 100


def _message(request, pk: int) -> Message:
    return get_object_or_404(Message, pk=pk, organisation=request.organisation)


@org_view(Action.MANAGE_MEMBERS)
def message_list(request):
    """The organisation's messages, drafts and sent, with their progress."""
    return render(
        request,
        "messaging/messages/list.html",
        {"messages_sent": selectors.messages_of(request.organisation)[:200]},
    )


def _form_page(request, message: Message | None):
    posted = request.method == "POST"
    if posted and "choose" in request.POST:
        # "Show its pickups" without JavaScript: the same form again, as typed, listing the
        # pickups and slots of the sale (and pickup) just chosen; nothing is saved.
        form = MessageForm(
            initial=request.POST.dict(),
            instance=message,
            organisation=request.organisation,
            now=timezone.now(),
            chosen=request.POST,
        )
        return render(request, "messaging/messages/form.html", {"form": form, "message": message})
    form = MessageForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=message,
        organisation=request.organisation,
        now=timezone.now(),
        chosen=request.GET,
    )
    if posted and form.is_valid():
        try:
            saved = services.message_save(
                organisation=request.organisation,
                by=request.user,
                message=message,
                attachment=form.cleaned_data.get("attachment_file"),
                remove_attachment=form.cleaned_data.get("remove_attachment", False),
                **form.service_fields(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("messaging:message", slug=request.organisation.slug, pk=saved.pk)
    return render(request, "messaging/messages/form.html", {"form": form, "message": message})


@org_view(Action.MANAGE_MEMBERS)
def message_new(request):
    return _form_page(request, None)


@org_view(Action.MANAGE_MEMBERS)
def message_edit(request, pk: int):
    message = _message(request, pk)
    if message.state != Message.State.DRAFT:
        flash.error(request, _("This message has been sent: it can no longer be changed."))
        return redirect("messaging:message", slug=request.organisation.slug, pk=message.pk)
    return _form_page(request, message)


@org_view(Action.MANAGE_MEMBERS)
def message_detail(request, pk: int):
    """A draft: its preview and how many will receive it. Sent: its progress and recipients."""
    message = _message(request, pk)
    context = {"message": message, "body": message_html(message.body)}
    if message.state == Message.State.DRAFT:
        try:
            context["count"] = audiences.audience_count(message, now=timezone.now())
        except audiences.AudienceIncomplete:
            context["count"] = None
        return render(request, "messaging/messages/draft.html", context)
    show = request.GET.get("show", "")
    context.update(
        now=timezone.now(),
        progress=selectors.message_progress(message),
        show=show,
        page=page_of(
            selectors.message_recipients(message, show=show),
            RECIPIENTS_PER_PAGE,
            request.GET.get("page"),
        ),
    )
    return render(request, "messaging/messages/sent.html", context)


@org_view(Action.MANAGE_MEMBERS)
@require_POST
def message_send(request, pk: int):
    message = _message(request, pk)
    try:
        message = services.message_send(message=message, by=request.user)
    except DomainError as error:
        flash.error(request, str(error))
    else:
        flash.success(
            request,
            _("The message is being sent to %(count)s people.")
            % {"count": message.recipient_count},
        )
    return redirect("messaging:message", slug=request.organisation.slug, pk=message.pk)


@org_view(Action.MANAGE_MEMBERS)
@require_POST
def message_announcement_end(request, pk: int):
    message = services.message_announcement_end(message=_message(request, pk))
    flash.success(request, _("The announcement is no longer shown."))
    return redirect("messaging:message", slug=request.organisation.slug, pk=message.pk)


@org_view(Action.MANAGE_MEMBERS)
@require_POST
def message_delete(request, pk: int):
    message = _message(request, pk)
    try:
        services.message_delete(message=message)
    except DomainError as error:
        flash.error(request, str(error))
        return redirect("messaging:message", slug=request.organisation.slug, pk=message.pk)
    flash.success(request, _("The draft has been deleted."))
    return redirect("messaging:messages", slug=request.organisation.slug)


def _readable(request, message: Message) -> bool:
    """Coordinators read every message; a member the sent ones of their archive."""
    if can(request.user, Action.MANAGE_MEMBERS, request.organisation):
        return True
    if message.state == Message.State.DRAFT or request.membership is None:
        return False
    return selectors.archive_of(request.membership).filter(pk=message.pk).exists()


@org_view(Action.USE_MEMBER_AREA)
def message_attachment(request, pk: int):
    message = _message(request, pk)
    if not message.attachment or not _readable(request, message):
        raise Http404
    name = message.attachment_name or "piece-jointe"
    return FileResponse(
        message.attachment.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )


@org_view(Action.USE_MEMBER_AREA)
def archive(request):
    """Messages from the organisation: what the member received (and the news for all)."""
    found = selectors.archive_of(request.membership)
    return render(request, "messaging/archive/list.html", {"archive": found[:100]})


@org_view(Action.USE_MEMBER_AREA)
def archive_message(request, pk: int):
    message = _message(request, pk)
    if message.state == Message.State.DRAFT or not _readable_by_member(request, message):
        raise Http404
    return render(
        request,
        "messaging/archive/message.html",
        {"message": message, "body": message_html(message.body)},
    )


def _readable_by_member(request, message: Message) -> bool:
    return selectors.archive_of(request.membership).filter(pk=message.pk).exists()
