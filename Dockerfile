# The production image: the web app under gunicorn; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY integrity ./integrity
COPY risks ./risks
COPY cases ./cases
COPY alerts ./alerts
COPY archives ./archives
COPY desk ./desk
# With the directory sign-in: python-ldap is built against OpenLDAP's headers, and the compiler goes afterwards.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libldap2-dev libsasl2-dev \
 && pip install ".[ldap]" \
 && apt-get purge -y gcc && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY . .
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && useradd --system --home /app integrity && mkdir -p /app/var && chown -R integrity /app/var
USER integrity

EXPOSE 8000
CMD ["gunicorn", "integrity.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
