"""The automatic reminders' settings (views_reminders)."""

urlpatterns: list = []
