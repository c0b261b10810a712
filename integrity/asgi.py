import os

from django.core.asgi import get_asgi_application

from integrity.heap import freeze_startup_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.settings")
application = get_asgi_application()

freeze_startup_heap()  # each worker imports this module once it is forked
