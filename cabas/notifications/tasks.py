from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def email_send(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    from_email: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one e-mail (already rendered in the recipient's language)."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=to, from_email=from_email, headers=headers or {}
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
