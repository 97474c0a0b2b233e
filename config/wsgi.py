import os

from django.core.wsgi import get_wsgi_application

from config.startup import gc_tune

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The order e-mail tasks (and the calendar library their .ics needs) are imported lazily by
# the ordering services; a server process loads them now rather than in its first order (the
# bench saw that import in the middle of the rush).
import cabas.orders.tasks  # noqa: E402, F401

# The garbage collector's thresholds, once the application is loaded (config/startup.py).
gc_tune()
