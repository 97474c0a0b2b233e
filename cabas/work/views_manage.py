"""Coordinator: the rules of duties and shifts, the task types, and the duties every pickup
needs (templates). One pickup's duties and the gaps are in views_gaps."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.models import Organisation
from cabas.orgs.permissions import Action, org_view

from . import selectors, selectors_manage, services
from .forms import DutyTemplateForm, TaskTypeForm, WorkSettingsForm
from .models import DutyTemplate, TaskType


def _with_shifts(organisation: Organisation) -> bool:
    return organisation.kind == Organisation.Kind.COOPERATIVE


@org_view(Action.MANAGE_ORGANISATION)
def work_settings(request):
    organisation = request.organisation
    current = selectors.work_settings_of(organisation)
    form = WorkSettingsForm(
        request.POST or None, instance=current, with_shifts=_with_shifts(organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.work_settings_save(organisation=organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("work:settings", slug=organisation.slug)
    return render(
        request,
        "work/manage/settings.html",
        {"organisation": organisation, "form": form, "with_shifts": _with_shifts(organisation)},
    )


# --- Task types ---------------------------------------------------------------------------


@org_view(Action.MANAGE_ORGANISATION)
def task_types(request):
    return render(
        request,
        "work/manage/task_types.html",
        {
            "organisation": request.organisation,
            "task_types": selectors_manage.task_types(request.organisation),
        },
    )


def _task_type_form(request, task_type: TaskType | None):
    initial = {"name": task_type.name, "instructions": task_type.instructions} if task_type else {}
    form = TaskTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_type_save(
                organisation=request.organisation, task_type=task_type, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Task saved."))
            return redirect("work:task_types", slug=request.organisation.slug)
    return render(
        request,
        "work/manage/task_type_form.html",
        {"organisation": request.organisation, "form": form, "task_type": task_type},
    )


@org_view(Action.MANAGE_ORGANISATION)
def task_type_create(request):
    return _task_type_form(request, None)


@org_view(Action.MANAGE_ORGANISATION)
def task_type_edit(request, task_type_id: int):
    task_type = get_object_or_404(TaskType, pk=task_type_id, organisation=request.organisation)
    return _task_type_form(request, task_type)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def task_type_delete(request, task_type_id: int):
    task_type = get_object_or_404(TaskType, pk=task_type_id, organisation=request.organisation)
    try:
        services.task_type_delete(task_type=task_type)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Task deleted."))
    return redirect("work:task_types", slug=request.organisation.slug)


# --- Duties every pickup needs --------------------------------------------------------------


@org_view(Action.MANAGE_ORGANISATION)
def duty_templates(request):
    templates = list(selectors_manage.duty_templates(request.organisation))
    every_point = [t for t in templates if t.pickup_point_id is None]
    by_point: dict = {}
    for template in templates:
        if template.pickup_point_id is not None:
            by_point.setdefault(template.pickup_point, []).append(template)
    return render(
        request,
        "work/manage/duty_templates.html",
        {
            "organisation": request.organisation,
            "every_point": every_point,
            "by_point": list(by_point.items()),
            "has_task_types": selectors_manage.task_types(request.organisation).exists(),
        },
    )


def _generated_message(request, made: int) -> None:
    if made:
        messages.success(
            request,
            ngettext(
                "%(count)s duty added to the coming pickups.",
                "%(count)s duties added to the coming pickups.",
                made,
            )
            % {"count": made},
        )


def _duty_template_form(request, template: DutyTemplate | None):
    organisation = request.organisation
    initial = DutyTemplateForm.initial_of(template) if template else {}
    form = DutyTemplateForm(request.POST or None, initial=initial, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.duty_template_save(
                organisation=organisation,
                template=template,
                is_active=template.is_active if template else True,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Duty saved."))
            # The coming pickups get the new duty now; the coming duties made from it follow
            # its hours (their places stay).
            made = services.duties_generate(organisation=organisation, now=timezone.now())
            _generated_message(request, made)
            return redirect("work:duty_templates", slug=organisation.slug)
    return render(
        request,
        "work/manage/duty_template_form.html",
        {"organisation": organisation, "form": form, "template": template},
    )


@org_view(Action.MANAGE_ORGANISATION)
def duty_template_create(request):
    return _duty_template_form(request, None)


@org_view(Action.MANAGE_ORGANISATION)
def duty_template_edit(request, template_id: int):
    template = get_object_or_404(DutyTemplate, pk=template_id, organisation=request.organisation)
    return _duty_template_form(request, template)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def duty_template_active(request, template_id: int):
    organisation = request.organisation
    template = get_object_or_404(DutyTemplate, pk=template_id, organisation=organisation)
    is_active = request.POST.get("active") == "1"
    services.duty_template_set_active(template=template, is_active=is_active)
    if is_active:
        messages.success(request, _("The duty is active again."))
        _generated_message(
            request, services.duties_generate(organisation=organisation, now=timezone.now())
        )
    else:
        messages.success(
            request,
            _("The duty is deactivated: new pickups will not get it. Duties already made stay."),
        )
    return redirect("work:duty_templates", slug=organisation.slug)
