import os

from django.core.wsgi import get_wsgi_application

from integrity.heap import freeze_startup_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.settings")
application = get_wsgi_application()

freeze_startup_heap()  # each worker imports this module once it is forked
