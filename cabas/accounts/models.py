from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


def person_name(first_name: str, last_name: str, email: str) -> str:
    """The one way a person's name is shown, on screens, sheets, labels and files: first name
    then family name ("Jean Vincent"), the e-mail address when there is no name. Lists are
    still sorted by family name; only the order of the words shown is this rule."""
    return f"{first_name.strip()} {last_name.strip()}".strip() or email


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. Logs in with an e-mail address; belongs to organisations through memberships."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    second_person = models.CharField(
        _("second person allowed to collect"),
        max_length=150,
        blank=True,
        help_text=_("Someone who may collect your orders for you (name)."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[("fr", "Français"), ("en", "English")],
        default="fr",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # The e-mail address read only when there is no name: lists that load the names only
        # (``.only(...)``) must not fetch it person by person.
        return person_name(self.first_name, self.last_name, "") or self.email
