"""The coordinators' page of the messaging settings and the reminders' words."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cabas.orgs.permissions import Action, org_view

from .forms_reminders import MessagingSettingsForm
from .reminders import services, texts


@org_view(Action.MANAGE_ORGANISATION)
def reminder_settings(request):
    organisation = request.organisation
    form = MessagingSettingsForm(
        request.POST or None,
        instance=texts.settings_of(organisation),
        words=texts.words_written(organisation),
    )
    if request.method == "POST" and form.is_valid():
        services.messaging_settings_save(
            organisation=organisation, words=form.words(), **form.settings_values()
        )
        messages.success(request, _("Settings saved."))
        return redirect("messaging:settings", slug=organisation.slug)
    return render(
        request,
        "messaging/reminders/settings.html",
        {"organisation": organisation, "form": form},
        status=400 if request.method == "POST" else 200,
    )
