"""Permission rows of a coordinator's duty pages (coordinators of the organisation only)."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.sales.tests.factories import PickupFactory
from cabas.work import services
from cabas.work.tests.factories import DutyTemplateFactory, TaskTypeFactory

COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)
COORDINATORS_POST = statuses(LOGIN, 403, 403, 403, 302, 404)


def _task_type(world) -> dict:
    return {"slug": world.org_a.slug, "task_type_id": TaskTypeFactory(organisation=world.org_a).pk}


def _template(world) -> dict:
    template = DutyTemplateFactory(organisation=world.org_a)
    return {"slug": world.org_a.slug, "template_id": template.pk}


def _pickup(world) -> dict:
    return {"slug": world.org_a.slug, "pickup_id": PickupFactory(sale__organisation=world.org_a).pk}


def _duty(world) -> dict:
    duty = services.duty_add(
        pickup=PickupFactory(sale__organisation=world.org_a),
        task_type=TaskTypeFactory(organisation=world.org_a),
        places=2,
        during_pickup=True,
    )
    return {"slug": world.org_a.slug, "period_id": duty.pk}


ROWS = {
    "work:settings": Row(COORDINATORS, kwargs=slug_a),
    "work:task_types": Row(COORDINATORS, kwargs=slug_a),
    "work:task_type_create": Row(COORDINATORS, kwargs=slug_a),
    "work:task_type_edit": Row(COORDINATORS, kwargs=_task_type),
    "work:task_type_delete": Row(COORDINATORS_POST, kwargs=_task_type, method="post"),
    "work:duty_templates": Row(COORDINATORS, kwargs=slug_a),
    "work:duty_template_create": Row(COORDINATORS, kwargs=slug_a),
    "work:duty_template_edit": Row(COORDINATORS, kwargs=_template),
    "work:duty_template_active": Row(COORDINATORS_POST, kwargs=_template, method="post"),
    "work:pickup_duties": Row(COORDINATORS, kwargs=_pickup),
    "work:duty_add": Row(COORDINATORS_POST, kwargs=_pickup, method="post"),
    "work:duty_places": Row(COORDINATORS_POST, kwargs=_duty, method="post"),
    "work:duty_cancel": Row(COORDINATORS_POST, kwargs=_duty, method="post"),
    "work:gaps": Row(COORDINATORS, kwargs=slug_a),
    "work:gap_assign": Row(COORDINATORS_POST, kwargs=_duty, method="post"),
    "work:gap_appeal": Row(COORDINATORS_POST, kwargs=_duty, method="post"),
}
