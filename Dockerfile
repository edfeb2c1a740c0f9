FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN useradd --system --create-home meerwaarde
# The production lock only: no test or dev packages (those are in requirements-dev.lock).
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# Static files are collected at build time and served by WhiteNoise from var/static.
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput \
    && chown -R meerwaarde /app/var
USER meerwaarde
EXPOSE 8000
CMD ["gunicorn", "meerwaarde.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(L)s"]
