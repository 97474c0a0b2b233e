"""EMAIL_MODE=anymail: the provider named by ANYMAIL_ESP, its ANYMAIL_* settings from the
environment, and what its API lets one message carry."""

from cabas.core.tests.test_settings import PRODUCTION_ENV, _manage

PROVIDER_ENV = {
    **PRODUCTION_ENV,
    "EMAIL_MODE": "anymail",
    "ANYMAIL_MAILJET_API_KEY": "public-key",
    "ANYMAIL_MAILJET_SECRET_KEY": "secret-key",
    "ANYMAIL_WEBHOOK_SECRET": "cabas-hook:s3cret",
}
SHOW = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, sorted(s.ANYMAIL.items()), s.EMAIL_INLINE_IMAGES, "
    "s.EMAIL_TRACKING_SWITCH)"
)


def test_a_provider_is_chosen_by_name_with_its_settings_and_passes_the_deploy_check():
    env = {**PROVIDER_ENV, "ANYMAIL_ESP": "mailjet"}

    shown = _manage("shell", "-c", SHOW, env=env)
    checked = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == (
        "anymail.backends.mailjet.EmailBackend [('MAILJET_API_KEY', 'public-key'),"
        " ('MAILJET_SECRET_KEY', 'secret-key'), ('WEBHOOK_SECRET', 'cabas-hook:s3cret')]"
        " True True"
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_brevo_gets_no_inline_logo_nor_tracking_switch():
    env = {**PROVIDER_ENV, "ANYMAIL_ESP": "Brevo", "ANYMAIL_BREVO_API_KEY": "xkeysib-1"}

    shown = _manage("shell", "-c", SHOW, env=env)

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1].startswith("anymail.backends.brevo.EmailBackend")
    assert shown.stdout.strip().endswith("False False")


def test_an_unknown_provider_stops_the_start_with_a_clear_error():
    shown = _manage("shell", "-c", SHOW, env={**PROVIDER_ENV, "ANYMAIL_ESP": "pigeon"})

    assert shown.returncode != 0
    assert "EMAIL_MODE=anymail needs ANYMAIL_ESP" in shown.stderr
    assert "'pigeon' is not one" in shown.stderr
