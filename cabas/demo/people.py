"""Who the demo is made of: its logins, its people (stable, invented) and the report of a run."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import slugify

from cabas.catalog.models import Producer

from . import data

COLLECTIVE_DOMAIN = "segala.example.org"
COOP_DOMAIN = "panier.example.org"
COLLECTIVE_MEMBERS = 300
COOP_MEMBERS = 200
SCHEDULE_NAME = "Vente du vendredi"
# Two of the coop's invented members whose shifts are not up to date (``demo.work``), both
# with their membership paid.
ALERT_EMAIL = f"nathalie.roux.45@{COOP_DOMAIN}"
SUSPENDED_EMAIL = f"thomas.rousseau.16@{COOP_DOMAIN}"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str


DEMO_LOGINS = [
    DemoLogin(f"coordination@{COLLECTIVE_DOMAIN}", "coordinator", data.COLLECTIVE["name"]),
    DemoLogin(f"membre@{COLLECTIVE_DOMAIN}", "member", data.COLLECTIVE["name"]),
    DemoLogin(
        f"producteur@{COLLECTIVE_DOMAIN}", "producer (Chèvrerie du Cérou)", data.COLLECTIVE["name"]
    ),
    DemoLogin(f"benevole@{COLLECTIVE_DOMAIN}", "volunteer", data.COLLECTIVE["name"]),
    DemoLogin(f"coordination@{COOP_DOMAIN}", "coordinator", data.COOPERATIVE["name"]),
    DemoLogin(f"membre@{COOP_DOMAIN}", "member", data.COOPERATIVE["name"]),
    DemoLogin(f"benevole1@{COOP_DOMAIN}", "volunteer, supply team", data.COOPERATIVE["name"]),
    DemoLogin(
        ALERT_EMAIL, "member « en alerte » (a make-up shift to do)", data.COOPERATIVE["name"]
    ),
    DemoLogin(
        SUSPENDED_EMAIL,
        "member « suspendu » (shifts missed: refused in the drive)",
        data.COOPERATIVE["name"],
    ),
    DemoLogin("double@example.org", "member of both (organisation switcher)", "both"),
    DemoLogin("admin@example.org", "superuser (/admin/)", "—"),
]


@dataclass
class Person:
    email: str
    first_name: str
    last_name: str
    phone: str
    is_coordinator: bool = False
    is_volunteer: bool = False
    producer: Producer | None = None
    is_supply: bool = False


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int) -> None:
        self.created[what] = self.created.get(what, 0) + count


def _people(domain: str, count: int, offset: int) -> list[Person]:
    """``count`` invented members with stable e-mails (same list at every run)."""
    people = []
    firsts, lasts = data.FIRST_NAMES, data.LAST_NAMES
    for index in range(count):
        first = firsts[(index + offset) % len(firsts)]
        last = lasts[(index * 7 + offset) % len(lasts)]
        email = f"{slugify(first)}.{slugify(last)}.{index + 1}@{domain}"
        phone = f"06 {(index // 100) % 100:02d} {index % 100:02d} {offset % 100:02d} 81"
        people.append(Person(email, first, last, phone))
    return people
